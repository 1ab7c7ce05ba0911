/**
 * Training throughput of the two sentence classifiers of the text issue, on SST-2-like batches
 * (bench/workloads/text-data.ts): Kim's CNN (embedding 128 → Conv1D widths 3/4/5 × 100 relu →
 * max over time → concat → dense 2) and a BiLSTM (embedding 128 with a padding mask → LSTM 128
 * each way → max over the real steps → dense 2). Adam lr 1e-3, cross-entropy from logits;
 * sentences/s over a fixed number of steps.
 */
import * as nb from '../../src/index.js';
import { TEXT, textRows } from './text-data.js';
import type { Params } from '../harness.js';
import { ALL_THREADS, num, same, type Case, type ContenderName, type Plan, type Workload } from './types.js';

const { Embedding, Conv1D, GlobalMaxPooling1D, Bidirectional, LSTM, Dense } = nb.layers;

/** Kim (2014)'s CNN-rand: three widths of valid convolutions, each max-pooled over time. */
class KimCNN extends nb.Model {
  embedding = new Embedding(TEXT.vocab, 128);
  convs = [3, 4, 5].map((w) => new Conv1D(100, w, { activation: 'relu' }));
  pool = new GlobalMaxPooling1D();
  head = new Dense(2);

  call(ids: nb.Tensor): nb.Tensor {
    const e = this.embedding.apply(ids);
    return this.head.apply(nb.concat(this.convs.map((c) => this.pool.apply(c.apply(e))), 1));
  }
}

/** BiLSTM with max pooling over the unpadded steps (the mask comes from the embedding). */
function biLstm(): nb.Model {
  return new nb.Sequential([
    new Embedding(TEXT.vocab, 128, { maskZero: true }),
    new Bidirectional(new LSTM(128, { returnSequences: true })),
    new GlobalMaxPooling1D(),
    new Dense(2),
  ]);
}

function cases(steps: number): Case[] {
  return [...new Set([ALL_THREADS, 1])].map((threads) => ({
    label: `${steps} steps, ${threads} thread${threads === 1 ? '' : 's'}`,
    params: { steps, batch: TEXT.batch, length: TEXT.length, vocab: TEXT.vocab, threads },
    work: steps * TEXT.batch,
  }));
}

function plan(contender: ContenderName, c: Case): Plan | undefined {
  if (contender === 'nabla' || contender === 'torch') return same(c);
  return undefined;
}

/** Builds the model, trains two warm-up batches, and returns one timed pass over `steps` batches. */
async function setup(make: () => nb.Model, params: Params): Promise<() => Promise<unknown>> {
  const batchSize = num(params, 'batch');
  const { x, y } = textRows(num(params, 'steps') * batchSize, num(params, 'length'), num(params, 'vocab'));
  const model = make();
  model.compile({
    optimizer: new nb.optim.Adam({ learningRate: 1e-3 }),
    loss: (yt, logits, opts) => nb.losses.sparseCategoricalCrossentropy(yt, logits, { ...opts, fromLogits: true }),
  });
  await model.fit(nb.slice(x, [[0, 2 * batchSize]]), nb.slice(y, [[0, 2 * batchSize]]), { epochs: 1, batchSize, verbose: 0 });
  return () => model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
}

const shared = { unit: { label: 'sentences/s', kind: 'rate', scale: 1 }, warmup: 0, targetSeconds: 0, pauseMs: 200, maxRounds: 5 } as const;

/** Kim's CNN on 64-sentence batches padded to 40 tokens. */
export const textCnn: Workload = {
  ...shared,
  name: 'text_cnn',
  title: 'Text CNN training (Kim 2014)',
  about: `embedding ${TEXT.vocab}×128 → Conv1D widths 3/4/5 × 100 relu (valid) → max over time → concat 300 → dense 2, batch ${TEXT.batch} sentences of 8–40 tokens padded to ${TEXT.length}, Adam lr 1e-3, cross-entropy from logits (nabla: a Model subclass and model.fit; PyTorch: the same model, NCL convolutions, hand loop).`,
  cases: (opts) => cases(opts.quick ? 3 : 20),
  plan,
  setupNabla: (params) => setup(() => new KimCNN(), params),
};

/** The BiLSTM on 64-sentence batches padded to 40 tokens. */
export const textBilstm: Workload = {
  ...shared,
  name: 'text_bilstm',
  title: 'BiLSTM training',
  about: `embedding ${TEXT.vocab}×128 (padding masked) → bidirectional LSTM 128 each way → max over the real steps → dense 2, batch ${TEXT.batch} sentences of 8–40 tokens padded to ${TEXT.length}, Adam lr 1e-3, cross-entropy from logits (nabla: Sequential, Embedding maskZero, model.fit; PyTorch: nn.LSTM(bidirectional) on packed sequences, hand loop).`,
  cases: (opts) => cases(opts.quick ? 2 : 10),
  plan,
  setupNabla: (params) => setup(biLstm, params),
};
