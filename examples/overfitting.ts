// Overfitting on 5,000 Fashion-MNIST images, and the tools against it (the guide: docs/overfitting.md).
// The same network trains three times on the first 5,000 training images: plain; plain with early
// stopping only; and with augmentation (horizontal flips), dropout, an L2 penalty, AdamW weight decay,
// label smoothing and early stopping. Validation: 10,000 other training images (50,000–59,999);
// test: the 10,000 test images.
// Run: npx tsx examples/overfitting.ts [plain|early-stopping|regularized|all] [epochs] [outDir]
//      (defaults: all, 80, docs; writes overfitting-<run>.png and overfitting-<run>.json there)
import { join } from 'node:path';
import * as nb from '../src/index.js';
const { Dense, Dropout, Flatten, RandomFlip, Reshape } = nb.layers;

type Run = 'plain' | 'early-stopping' | 'regularized';
const RUNS: Run[] = ['plain', 'early-stopping', 'regularized'];
const which = process.argv[2] ?? 'all';
const epochs = Number(process.argv[3] ?? 80);
const outDir = process.argv[4] ?? 'docs';
if (which !== 'all' && !(RUNS as string[]).includes(which)) throw new Error(`run must be ${RUNS.join(', ')} or all, got '${which}'`);

const { train, test } = await nb.datasets.fashionMnist();
const x = train.x.slice([[0, 5000]]), y = train.y.slice([[0, 5000]]);
const validation: [nb.Tensor, nb.Tensor] = [train.x.slice([[50000, 60000]]), train.y.slice([[50000, 60000]])];

// the seed network of `nabla train`: 784-256-128-10
function plain(): nb.Sequential {
  return new nb.Sequential([
    new Dense(256, { activation: 'relu' }),
    new Dense(128, { activation: 'relu' }),
    new Dense(10, { activation: 'softmax' }),
  ]);
}

// the same network behind augmentation (active only in training), with dropout and L2 on its kernels
function regularized(): nb.Sequential {
  const l2 = () => nb.regularizers.l2(1e-4);
  return new nb.Sequential([
    new Reshape([28, 28, 1]),
    new RandomFlip('horizontal'), // a mirrored shirt is still a shirt
    new Flatten(),
    new Dense(256, { activation: 'relu', kernelRegularizer: l2() }),
    new Dropout(0.3),
    new Dense(128, { activation: 'relu', kernelRegularizer: l2() }),
    new Dropout(0.3),
    new Dense(10, { activation: 'softmax' }),
  ]);
}

async function run(name: Run): Promise<void> {
  nb.manualSeed(0);
  const model = name === 'regularized' ? regularized() : plain();
  const callbacks: nb.callbacks.Callback[] = [];
  if (name !== 'regularized') {
    model.compile({ optimizer: new nb.optim.Adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  } else {
    model.compile({
      optimizer: new nb.optim.AdamW({ learningRate: 1e-3, weightDecay: 1e-4 }),
      loss: { name: 'sparseCategoricalCrossentropy', labelSmoothing: 0.1 },
      metrics: ['accuracy'],
    });
  }
  if (name !== 'plain') callbacks.push(new nb.callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: 10, restoreBestWeights: true }));
  const t0 = performance.now();
  const history = await model.fit(x, y, { epochs, batchSize: 64, validationData: validation, seed: 0, callbacks, verbose: 2 });
  const seconds = (performance.now() - t0) / 1000;
  const h = history.toJSON().history as Record<string, number[]>;
  const ran = h.accuracy!.length;
  const best = h.val_accuracy!.indexOf(Math.max(...h.val_accuracy!));
  // the weights the model ends with: the last epoch's (plain) or the restored best epoch's (early stopping)
  const kept = name === 'plain' ? ran - 1 : best;
  const pct = (v: number | undefined) => `${(100 * (v ?? NaN)).toFixed(2)}%`;
  const onTest = await model.evaluate(test.x, test.y, { batchSize: 1000 });
  console.log(
    `${name}: ${ran} epochs (${seconds.toFixed(0)} s); weights of epoch ${kept + 1}: train ${pct(h.accuracy![kept])}, ` +
      `validation ${pct(h.val_accuracy![kept])}, test ${pct(onTest.accuracy)}; best validation ${pct(h.val_accuracy![best])} at epoch ${best + 1}`,
  );
  nb.io.writeFileAtomic(join(outDir, `overfitting-${name}.json`), JSON.stringify(history.toJSON()) + '\n');
  nb.plot.history(history, join(outDir, `overfitting-${name}.png`), {
    title: `${{ plain: 'Plain', 'early-stopping': 'Early stopping only', regularized: 'Regularised' }[name]}: 5,000 Fashion-MNIST images`,
    width: 720,
  });
}

for (const name of RUNS) if (which === 'all' || which === name) await run(name);
