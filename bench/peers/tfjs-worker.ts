/**
 * TensorFlow.js peer of nabla's benchmark suite: `node --import tsx bench/peers/tfjs-worker.ts
 * cpu|wasm` answers the JSON-lines commands of process-peer.ts with one tfjs backend (each backend
 * gets its own process, so the two never share tfjs' global engine). The WASM backend loads its
 * .wasm files from node_modules/@tensorflow/tfjs-backend-wasm/dist (nothing is downloaded).
 */
import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import type { Params } from '../harness.js';
import { trainingRows } from '../workloads/data.js';
import { quietConsole, serve, type Step, type WorkloadTable } from './node-worker.js';

// tfjs greets Node users on the console: keep stdout for the protocol
quietConsole();

const backend = process.argv[2];
type Tf = typeof import('@tensorflow/tfjs');

async function load(): Promise<{ tf: Tf; info: Record<string, unknown> }> {
  if (backend !== 'cpu' && backend !== 'wasm') throw new Error(`tfjs-worker: backend must be cpu or wasm, got ${backend}`);
  const tf = await import('@tensorflow/tfjs');
  const info: Record<string, unknown> = { version: `@tensorflow/tfjs ${tf.version.tfjs}` };
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dir = `${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/`;
    wasm.setWasmPaths(dir);
    info['version'] = `${String(info['version'])}, tfjs-backend-wasm ${wasm.version_wasm}`;
    const simd = String(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const threads = String(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    info['blas'] = `XNNPACK in WebAssembly (SIMD ${simd}, threads ${threads}), .wasm from ${relative(process.cwd(), dir) || dir}`;
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
  info['backend'] = tf.getBackend();
  info['blas'] ??= 'JavaScript kernels';
  info['threads'] = 1;
  return { tf, info };
}

function workloads(tf: Tf): WorkloadTable {
  const n = (p: Params, k: string) => Number(p[k]);
  const compile = (model: import('@tensorflow/tfjs').Sequential) =>
    model.compile({ optimizer: tf.train.adam(1e-3), loss: (yt: import('@tensorflow/tfjs').Tensor, yp: import('@tensorflow/tfjs').Tensor) => tf.losses.softmaxCrossEntropy(yt, yp) });
  const train = async (model: import('@tensorflow/tfjs').Sequential, p: Params, rows: number, shape: number[]): Promise<Step> => {
    const data = await trainingRows(String(p['data']), rows);
    const x = tf.tensor(data.x.storage as Float32Array, [rows, ...shape]);
    const y = tf.oneHot(tf.tensor1d(Int32Array.from(data.y.storage as Int32Array), 'int32'), 10);
    const batchSize = n(p, 'batch');
    compile(model);
    const w = 2 * batchSize;
    await model.fit(x.slice(0, w), y.slice(0, w), { epochs: 1, batchSize, verbose: 0 }); // warm-up
    return () => model.fit(x, y, { epochs: 1, batchSize, shuffle: true, verbose: 0 });
  };
  const L = tf.layers;
  return {
    sgemm: (p) => {
      const a = tf.randomNormal([n(p, 'n'), n(p, 'n')]);
      const b = tf.randomNormal([n(p, 'n'), n(p, 'n')]);
      return () => tf.matMul(a, b).dispose();
    },
    add: (p) => {
      const a = tf.randomNormal([n(p, 'n')]);
      const b = tf.randomNormal([n(p, 'n')]);
      return () => tf.add(a, b).dispose();
    },
    overhead: (p) => {
      if (p['autograd']) throw new Error('tfjs records gradients only inside tf.grad()');
      const a = tf.randomNormal([16]);
      const b = tf.randomNormal([16]);
      const count = n(p, 'count');
      return () => {
        for (let i = 0; i < count; i++) tf.add(a, b).dispose();
      };
    },
    mlp: (p) => {
      const model = tf.sequential({
        layers: [L.dense({ inputShape: [784], units: 256, activation: 'relu' }), L.dense({ units: 128, activation: 'relu' }), L.dense({ units: 10 })],
      });
      return train(model, p, n(p, 'rows'), [784]);
    },
    cnn: (p) => {
      const model = tf.sequential({
        layers: [
          L.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
          L.maxPooling2d({ poolSize: 2 }),
          L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
          L.maxPooling2d({ poolSize: 2 }),
          L.flatten(),
          L.dense({ units: 128, activation: 'relu' }),
          L.dense({ units: 10 }),
        ],
      });
      return train(model, p, n(p, 'steps') * n(p, 'batch'), [28, 28, 1]);
    },
  };
}

await serve(async () => {
  const l = await load();
  return { info: l.info, table: workloads(l.tf) };
}, 'install it with npm install');
