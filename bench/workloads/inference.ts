/**
 * Inference beside onnxruntime-node (issue #17): the seed MLP at batch 1 and 128, and the ONNX
 * Model Zoo's mnist-12 CNN at batch 1 and 64, all threads and 1 thread. nabla runs `model.predict`
 * (no autograd recording, inference mode); onnxruntime runs `session.run` on the same ONNX file
 * with all graph optimisations. The seed MLP's weights are seeded random numbers, written once as
 * an ONNX file (MatMul, Add, Relu) that onnxruntime loads and nabla's Dense layers copy, so both
 * compute the same function; mnist-12 is read from ../shared/models (NABLA_MODELS overrides).
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../../src/index.js';
import { DataType, encodeModelProto, loadOnnx, type ModelProto, type NodeProto, type TensorProto } from '../../src/io/onnx/index.js';
import { ALL_THREADS, num, same, type Workload } from './types.js';

const MODELS = process.env['NABLA_MODELS'] ?? fileURLToPath(new URL('../../../shared/models', import.meta.url));

/** mnist-12's file, and the constant shape of its Reshape ([1, 256]), which a batch needs as [-1, 256]. */
export const MNIST12 = join(MODELS, 'mnist-12-onnx', 'mnist-12.onnx');
export const MNIST12_RESHAPE = 'Pooling160_Output_0_reshape0_shape';

const SIZES = [784, 256, 128, 10];

/** The seed MLP's weights: kernels [in, out] and biases, seeded normal numbers scaled as He's initialisation. */
export function seedMlpWeights(): { kernel: Float32Array; bias: Float32Array }[] {
  const g = new nb.Generator(17);
  return SIZES.slice(1).map((out, i) => {
    const inp = SIZES[i]!;
    const kernel = nb.randn([inp, out], { generator: g }).mul(Math.sqrt(2 / inp)).data() as Float32Array;
    const bias = nb.randn([out], { generator: g }).mul(0.01).data() as Float32Array;
    return { kernel: Float32Array.from(kernel), bias: Float32Array.from(bias) };
  });
}

/** The seed MLP as an ONNX model: MatMul + Add per layer, Relu between, input `x` [batch, 784], output `logits`. */
export function seedMlpOnnx(): Uint8Array {
  const weights = seedMlpWeights();
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  let h = 'x';
  weights.forEach((w, i) => {
    const [inp, out] = [SIZES[i]!, SIZES[i + 1]!];
    inits.push({ name: `w${i}`, dims: [inp, out], dataType: DataType.FLOAT, rawData: new Uint8Array(w.kernel.buffer.slice(0)) });
    inits.push({ name: `b${i}`, dims: [out], dataType: DataType.FLOAT, rawData: new Uint8Array(w.bias.buffer.slice(0)) });
    const last = i === weights.length - 1;
    nodes.push({ opType: 'MatMul', input: [h, `w${i}`], output: [`mm${i}`], name: `mm${i}` });
    nodes.push({ opType: 'Add', input: [`mm${i}`, `b${i}`], output: [last ? 'logits' : `z${i}`], name: `add${i}` });
    if (!last) nodes.push({ opType: 'Relu', input: [`z${i}`], output: [`h${i}`], name: `relu${i}` });
    h = `h${i}`;
  });
  const model: ModelProto = {
    irVersion: 8,
    producerName: 'nabla-bench',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'seed_mlp',
      node: nodes,
      input: [{ name: 'x', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 784 }] } } } }],
      output: [{ name: 'logits', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 10 }] } } } }],
      initializer: inits,
    },
  };
  return encodeModelProto(model);
}

let seedMlpPath: string | undefined;

/** Writes the seed MLP's ONNX file once per run (atomically) and gives its path, sent to the peer. */
function seedMlpFile(): string {
  if (seedMlpPath) return seedMlpPath;
  const dir = join(tmpdir(), `nabla-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'seed-mlp.onnx');
  writeFileSync(`${path}.tmp`, seedMlpOnnx());
  renameSync(`${path}.tmp`, path);
  return (seedMlpPath = path);
}

/** nabla's seed MLP (Dense layers, relu) holding the weights of `seedMlpWeights`. */
export function seedMlpModel(): nb.Sequential {
  const { Dense } = nb.layers;
  const model = new nb.Sequential([new Dense(256, { activation: 'relu' }), new Dense(128, { activation: 'relu' }), new Dense(10)]);
  model.build([1, 784]);
  const weights = seedMlpWeights();
  model.layers.forEach((layer, i) => {
    const w = weights[i]!;
    (layer as InstanceType<typeof Dense>).kernel.storage.set(w.kernel);
    (layer as InstanceType<typeof Dense>).bias!.storage.set(w.bias);
  });
  return model;
}

/** A seeded input batch: [batch, 784] for the MLP, [batch, 1, 28, 28] in 0..255 for mnist-12 (it takes raw pixels). */
export function inferenceInput(model: string, batch: number): Float32Array {
  const g = new nb.Generator(5);
  const x = model === 'mlp' ? nb.rand([batch, 784], { generator: g }) : nb.rand([batch, 1, 28, 28], { generator: g }).mul(255);
  return Float32Array.from(x.data() as Float32Array);
}

export const inference: Workload = {
  name: 'inference',
  title: 'Inference',
  unit: { label: 'samples/s', kind: 'rate', scale: 1 },
  about: `A forward pass on a batch, timed call by call: nabla's \`model.predict\` (no autograd recording) against onnxruntime-node's \`session.run\` (graph optimisation level "all", intra-op threads = the case's threads, inter-op 1) on the same ONNX file. Seed MLP: 784-256-128-10 relu with seeded weights (nabla's Dense layers hold the file's numbers). mnist-12: the ONNX Model Zoo CNN (conv 5×5·8, pool, conv 5×5·16, pool, dense 10), its Reshape made batch-agnostic for batch 64 (nabla: loadOnnx's initializer override; onnxruntime: the same constant rewritten in the file).`,
  warmup: 20,
  targetSeconds: 0.3,
  pauseMs: 100,
  cases() {
    const out = [];
    for (const [model, batch] of [['mlp', 1], ['mlp', 128], ['mnist12', 1], ['mnist12', 64]] as const) {
      for (const threads of [...new Set([ALL_THREADS, 1])]) {
        const file = model === 'mlp' ? seedMlpFile() : MNIST12;
        out.push({
          label: `${model === 'mlp' ? 'seed MLP' : 'mnist-12'}, batch ${batch}, ${threads} thread${threads === 1 ? '' : 's'}`,
          params: { model, batch, threads, file },
          work: batch,
        });
      }
    }
    return out;
  },
  plan(contender, c) {
    if (contender !== 'nabla' && contender !== 'onnxruntime') return undefined;
    if (c.params.model === 'mnist12' && !existsSync(MNIST12)) return { skip: `${MNIST12} is not there (the shared models folder; NABLA_MODELS points elsewhere)` };
    return same(c);
  },
  setupNabla(params) {
    const batch = num(params, 'batch');
    const model: nb.Model =
      params.model === 'mlp' ? seedMlpModel() : loadOnnx(String(params.file), { initializers: { [MNIST12_RESHAPE]: [-1, 256] } });
    const x = nb.tensor(inferenceInput(String(params.model), batch)).reshape(params.model === 'mlp' ? [batch, 784] : [batch, 1, 28, 28]);
    return () => model.predict(x, { batchSize: batch });
  },
};
