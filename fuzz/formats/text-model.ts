/**
 * Saved text classifiers: a model whose first layer is a `TextVectorization` keeps its
 * vocabulary in model.json (a list of strings from the training texts, which a file can make
 * `__proto__` or `constructor`), loaded with `nb.loadModel` and run on raw strings. Joins the
 * formats once nabla has `nb.layers.TextVectorization`.
 */
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import type { FuzzFormat } from '../format.js';
import { mutateFiles } from '../mutate/files.js';
import { check } from '../outcome.js';

type Vectorizer = nb.Layer & { adapt(texts: readonly string[]): void; vocabularySize(): number };
type VectorizerClass = new (opts: Record<string, unknown>) => Vectorizer;
type TextPredictor = { predict(texts: readonly string[]): nb.Tensor; fit(x: readonly string[], y: nb.Tensor, opts: Record<string, unknown>): Promise<unknown> };

const TextVectorization = (nb.layers as unknown as Record<string, unknown>)['TextVectorization'] as VectorizerClass | undefined;

const TEXTS = ['a fine film', 'dull , flat and long', 'it works', 'constructor toString __proto__', 'fine fine fine'];
const PROBE = ['a fine film', '__proto__ constructor prototype', '', 'ünïcödé 😀'];

/** A TextVectorization → Embedding → pooling → Dense model, adapted and trained on a few texts. */
async function textModel(outputMode: string): Promise<nb.Sequential> {
  nb.manualSeed(7);
  const vectorize = new TextVectorization!({ outputMode, ngrams: 2, ...(outputMode === 'int' ? { outputSequenceLength: 6 } : {}) });
  vectorize.adapt(TEXTS);
  const head = outputMode === 'int'
    ? [new nb.layers.Embedding(vectorize.vocabularySize(), 4, { maskZero: true }), new nb.layers.GlobalAveragePooling1D()]
    : [new nb.layers.Dense(4, { activation: 'relu' })];
  const model = new nb.Sequential([vectorize, ...head, new nb.layers.Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await (model as unknown as TextPredictor).fit(TEXTS, nb.tensor([1, 0, 1, 0, 1], { dtype: 'int32' }), { epochs: 1, verbose: 0 });
  return model;
}

/** A recipe of nb.models (Kim's CNN, a transformer encoder, a BiGRU), tiny, trained one epoch. */
async function recipe(kind: 'cnn' | 'transformer' | 'rnn'): Promise<nb.Sequential> {
  nb.manualSeed(7);
  const base = { classes: 2, texts: TEXTS, sequenceLength: 6, embeddingDim: 4 };
  const model = kind === 'cnn' ? nb.models.textCNN({ ...base, filters: 2, kernelSizes: [2, 3] })
    : kind === 'transformer' ? nb.models.textTransformer({ ...base, layers: 1, numHeads: 2, ffDim: 8 })
    : nb.models.textRNN({ ...base, cell: 'gru', units: 3 });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await (model as unknown as TextPredictor).fit(TEXTS, nb.tensor([1, 0, 1, 0, 1], { dtype: 'int32' }), { epochs: 1, verbose: 0 });
  return model;
}

/** Saved text models, when nabla has TextVectorization. */
export const textModelFormat: FuzzFormat | null = TextVectorization === undefined ? null : {
  name: 'text-model',
  async makeSeeds(dir) {
    const seeds = { ids: 'int', tfidf: 'tf_idf' };
    for (const [name, mode] of Object.entries(seeds)) await (await textModel(mode)).save(join(dir, name));
    // the recipes' own layers (MultiWidthConv1D, TokenAndPositionEmbedding, the fused recurrent scan)
    const recipes = ['cnn', 'transformer', 'rnn'] as const;
    for (const kind of recipes) await (await recipe(kind)).save(join(dir, kind));
    return [...Object.keys(seeds), ...recipes];
  },
  mutate(rng, files) {
    mutateFiles(rng, files, { weights: { 'model.json': 5, 'weights.safetensors': 1 } });
  },
  load(dir) {
    const model = nb.loadModel(dir) as unknown as TextPredictor;
    const y = model.predict(PROBE);
    check(y.shape[0] === PROBE.length, `predict on ${PROBE.length} texts returned shape [${y.shape.join(',')}]`);
  },
};
