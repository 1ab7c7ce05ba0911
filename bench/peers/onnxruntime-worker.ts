/**
 * onnxruntime-node peer of nabla's benchmark suite (the inference workload): `node --import tsx
 * bench/peers/onnxruntime-worker.ts` answers the JSON-lines commands of process-peer.ts. It is not
 * a dependency (its install script would fetch CUDA binaries from outside npm): install it with
 * `ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save onnxruntime-node@1.31`; its CPU binaries
 * ship inside the npm package. Each case gets its own session: graph optimisation level
 * "all", intra-op threads = the case's threads, inter-op 1, sequential execution.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decodeModelProto, encodeModelProto } from '../../src/io/onnx/index.js';
import type { Params } from '../harness.js';
import { inferenceInput, MNIST12_RESHAPE } from '../workloads/inference.js';
import { quietConsole, serve, type WorkloadTable } from './node-worker.js';

quietConsole();
/** The part of onnxruntime-node's API used here (typed locally: the package is not a dependency). */
interface Ort {
  InferenceSession: { create(model: Uint8Array, options: Record<string, unknown>): Promise<{ inputNames: readonly string[]; run(feeds: Record<string, unknown>): Promise<unknown> }> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
}
const ORT = 'onnxruntime-node';

/** The model's bytes; mnist-12's Reshape constant [1, 256] rewritten as [-1, 256] for a batch above 1. */
function modelBytes(p: Params): Uint8Array {
  const bytes = readFileSync(String(p['file']));
  if (p['model'] !== 'mnist12' || Number(p['batch']) === 1) return bytes;
  const model = decodeModelProto(bytes, String(p['file']));
  const shape = model.graph?.initializer?.find((t) => t.name === MNIST12_RESHAPE);
  if (!shape) throw new Error(`${String(p['file'])} has no initializer ${MNIST12_RESHAPE}`);
  const raw = new DataView(new ArrayBuffer(16));
  raw.setBigInt64(0, -1n, true);
  raw.setBigInt64(8, 256n, true);
  Object.assign(shape, { int64Data: undefined, rawData: new Uint8Array(raw.buffer) });
  // the file also declares its input and output with a batch of exactly 1
  for (const v of [...(model.graph?.input ?? []), ...(model.graph?.output ?? [])]) {
    const dim = v.type?.tensorType?.shape?.dim;
    if (dim && dim.length > 0) dim[0] = { dimParam: 'batch' };
  }
  return encodeModelProto(model);
}

function workloads(ort: Ort): WorkloadTable {
  return {
    inference: async (p) => {
      const threads = Number(p['threads']);
      const batch = Number(p['batch']);
      const session = await ort.InferenceSession.create(modelBytes(p), {
        graphOptimizationLevel: 'all',
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
      });
      const shape = p['model'] === 'mlp' ? [batch, 784] : [batch, 1, 28, 28];
      const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', inferenceInput(String(p['model']), batch), shape) };
      return () => session.run(feeds);
    },
  };
}

await serve(async () => {
  const ort = (await import(ORT)) as Ort;
  const version = (createRequire(import.meta.url)(`${ORT}/package.json`) as { version: string }).version;
  return {
    info: { version: `onnxruntime-node ${version}`, blas: 'onnxruntime CPU execution provider (MLAS)', threads: 'intraOpNumThreads per case' },
    table: workloads(ort),
  };
}, 'install it with ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save onnxruntime-node@1.31');
