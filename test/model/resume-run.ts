// The training run of resume-sigkill.test.ts: a small model whose run depends on every kind of
// state a resume must restore — a Dropout with its own seeded generator and one drawing from the
// global generator, Adam with a learning-rate schedule that ReduceLROnPlateau replaces when it
// fires, EarlyStopping counting epochs without improvement (and keeping the best weights), a
// shuffling DataLoader whose generator is seeded from the global one. Run in a child process by
// resume-child.ts, killed and rerun with the same checkpoint directory, it must end exactly as an
// uninterrupted run does.
import * as nb from '../../src/index.js';

/** Epochs of the run: short ones, so that kills land at many points of a run of a few seconds. */
export const EPOCHS = 40;

/** What the run ends with: weights and optimizer slots as hex bytes (compared bitwise), the history, the callbacks' results and the next global draws. */
export interface RunResult {
  weights: Record<string, string>;
  optimizer: { iterations: number; learningRate: number; slots: Record<string, Record<string, string>> };
  history: { epoch: number[]; history: Record<string, number[]> };
  early: { bestEpoch: number; bestValue: number; restoredEpoch: number; stoppedEpoch: number };
  next: string;
}

/** The bytes of an array, as hex: -0 and NaN payloads included. */
function hex(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

/** Trains the model from scratch, or resumes it from `checkpointDir` when that holds a checkpoint. */
export async function trainRun(checkpointDir?: string): Promise<RunResult> {
  nb.manualSeed(3);
  const g = new nb.Generator(11);
  const w = nb.randn([6, 3], { generator: g });
  const x = nb.randn([256, 6], { generator: g });
  const y = nb.argmax(nb.matmul(x.add(nb.randn([256, 6], { generator: g }).mul(0.5)), w), 1);
  const xVal = nb.randn([64, 6], { generator: g });
  const yVal = nb.argmax(nb.matmul(xVal, w), 1);

  const model = new nb.Sequential([
    new nb.layers.Dense(24, { activation: 'relu' }),
    new nb.layers.Dropout(0.3, { seed: 5 }),
    new nb.layers.Dense(24, { activation: 'relu' }),
    new nb.layers.Dropout(0.2),
    new nb.layers.Dense(3, { activation: 'softmax' }),
  ]);
  const schedule = nb.optim.exponentialDecay({ initialLearningRate: 0.01, decaySteps: 16, decayRate: 0.97 });
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: schedule }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const plateau = new nb.callbacks.ReduceLROnPlateau({ monitor: 'val_loss', patience: 2, factor: 0.5, minDelta: 0.005 });
  // never stops in this run, but its wait counter is above 0 much of the time
  const early = new nb.callbacks.EarlyStopping({ monitor: 'val_loss', minDelta: 0.005, patience: 1000, restoreBestWeights: true });
  const loader = new nb.DataLoader([x, y], { batchSize: 16, shuffle: true });

  const history = await model.fit(loader, {
    epochs: EPOCHS,
    validationData: [xVal, yVal],
    callbacks: [plateau, early],
    verbose: 0,
    ...(checkpointDir === undefined ? {} : { checkpointDir }),
  });
  const opt = model.optimizer!.getState();
  return {
    weights: Object.fromEntries(model.namedWeights().map(([k, t]) => [k, hex(t.data())])),
    optimizer: {
      iterations: opt.iterations,
      learningRate: opt.learningRate,
      slots: Object.fromEntries(Object.entries(opt.slots).map(([p, s]) => [p, Object.fromEntries(Object.entries(s).map(([k, v]) => [k, hex(v)]))])),
    },
    history: history.toJSON(),
    early: { bestEpoch: early.bestEpoch, bestValue: early.bestValue, restoredEpoch: early.restoredEpoch, stoppedEpoch: early.stoppedEpoch },
    next: hex(nb.rand([4]).data()),
  };
}
