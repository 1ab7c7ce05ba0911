/**
 * Issue 12, item 3, over every registered layer class: its full config (from `getConfig()` of a
 * layer made from the required options below) rebuilds it, and every number, boolean, string and
 * null in it, nested configs included, replaced by a value of the wrong type (the number as a
 * string, in an array, as a boolean; NaN, Infinity; a fraction where an integer is due; a boolean
 * as a number, a string or in an array; a string as a number or an unknown name; null as a
 * boolean or a string) is a ValueError naming that option. An extra key is refused by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { registeredLayerNames } from '../../src/nn/index.js';

type Config = Record<string, unknown>;

/** What each class needs besides its defaults; seeds and nested configs are given so that they are checked too. */
const REQUIRED: Record<string, Config> = {
  Dense: {
    units: 3,
    kernelInitializer: { className: 'RandomNormal', config: { mean: 0, stddev: 0.1, seed: 1 } },
    kernelRegularizer: { className: 'L1L2', config: { l1: 0.01, l2: 0.01 } },
    biasInitializer: { className: 'VarianceScaling', config: { scale: 2, mode: 'fanIn', distribution: 'uniform', seed: 2 } },
  },
  Activation: { activation: 'relu' },
  InputLayer: { inputShape: [4, null] },
  Dropout: { rate: 0.5, seed: 1 },
  SpatialDropout1D: { rate: 0.5, seed: 1 },
  SpatialDropout2D: { rate: 0.5, seed: 1 },
  Flatten: {},
  Reshape: { targetShape: [2, -1] },
  Embedding: { inputDim: 10, outputDim: 4, embeddingsRegularizer: 'l2' },
  LayerNormalization: { betaInitializer: { className: 'Constant', config: { value: 0.5 } }, gammaRegularizer: { className: 'L2', config: { l2: 0.01 } } },
  BatchNormalization: {},
  GroupNormalization: { groups: 2 },
  Conv1D: { filters: 2, kernelSize: 3 },
  Conv2D: { filters: 2, kernelSize: 3, kernelInitializer: { className: 'RandomUniform', config: { minval: -0.1, maxval: 0.1, seed: 3 } } },
  Conv2DTranspose: { filters: 2, kernelSize: 3, strides: 2, outputPadding: [1, 1] },
  DepthwiseConv2D: { kernelSize: 3 },
  SeparableConv2D: { filters: 2, kernelSize: 3 },
  MaxPooling1D: {},
  MaxPooling2D: {},
  AveragePooling1D: {},
  AveragePooling2D: {},
  GlobalAveragePooling1D: {},
  GlobalAveragePooling2D: {},
  GlobalMaxPooling1D: {},
  GlobalMaxPooling2D: {},
  ZeroPadding2D: { padding: 1 },
  UpSampling2D: {},
  RandomFlip: { mode: 'horizontal', seed: 1 },
  RandomCrop: { height: 2, width: 2, seed: 1 },
  RandomTranslation: { heightFactor: 0.1, widthFactor: [-0.2, 0.2], seed: 1 },
  RandomRotation: { factor: 0.1, seed: 1 },
  RandomZoom: { heightFactor: 0.1, widthFactor: 0.2, seed: 1 },
  RandomContrast: { factor: 0.2, seed: 1 },
  Masking: {},
  SimpleRNN: { units: 2, seed: 1 },
  LSTM: { units: 2, seed: 1, recurrentInitializer: { className: 'Orthogonal', config: { gain: 1, seed: 2 } } },
  GRU: { units: 2 },
  Bidirectional: { layer: { className: 'GRU', config: { units: 2 } } },
  TimeDistributed: { layer: { className: 'Dense', config: { units: 2 } } },
  RotaryEmbedding: {},
  MultiHeadAttention: { numHeads: 2, keyDim: 4, outputShape: 3, seed: 1 },
  TransformerEncoderBlock: { numHeads: 2, ffDim: 8, keyDim: 4, seed: 1 },
  TransformerDecoderBlock: { numHeads: 2, ffDim: 8 },
  PositionEmbedding: { sequenceLength: 5 },
  SinusoidalPositionEncoding: {},
  RMSNormalization: {},
  Identity: {},
  GPT: { vocabSize: 10, contextLength: 4, numLayers: 1, numHeads: 1, embedDim: 4 },
  SpeechCTC: { classes: 2, sampleRate: 400, nMels: 4, nFft: 16, hopLength: 8, filters: [2], units: 2 },
  LoRADense: { base: { className: 'Dense', config: { units: 2 } }, rank: 2, seed: 1 },
  LoRAConv2D: { base: { className: 'Conv2D', config: { filters: 2, kernelSize: 3 } }, rank: 2 },
  Sequential: { layers: [{ className: 'Dense', config: { units: 2 } }] },
  TextVectorization: {},
  MultiWidthConv1D: { filters: 2, kernelSizes: [2, 3] },
  TokenAndPositionEmbedding: { vocabularySize: 10, sequenceLength: 4, embeddingDim: 3, maskZero: true },
  MelSpectrogram: { sampleRate: 8000, nFft: 64, winLength: 48, hopLength: 16, pad: 1, window: 'hamming', power: 1, normalized: true, center: false, padMode: 'constant', fMin: 20, fMax: 3000, nMels: 12, melScale: 'slaney', output: 'db', topDb: 60 },
  MFCC: { sampleRate: 8000, nFft: 64, nMels: 12, nMfcc: 5, melNorm: 'slaney', logMels: true },
  SpecAugment: { freqMaskParam: 4, timeMaskParam: 5, freqMasks: 2, timeMasks: 2, timeMaskMaxRatio: 0.5, maskValue: 0.5, seed: 1 },
  AddNoise: { snrDb: [5, 20], noiseShape: [2, 16], seed: 1 },
  UtteranceNormalization: { epsilon: 1e-4 },
  DurationNormalization: { frames: 24, topDb: 30, stretch: false },
};

/** Options that are real numbers even when their value is whole: a fraction is no error there. */
const REAL = new Set([
  'alpha', 'attentionDropout', 'dropout', 'epsilon', 'factor', 'fillValue', 'gain', 'heightFactor', 'l1', 'l2', 'maskValue', 'maxWavelength',
  'maxval', 'mean', 'minval', 'momentum', 'normEpsilon', 'rate', 'recurrentDropout', 'scale', 'scalingFactor', 'seed', 'stddev', 'value',
  'valueRange', 'widthFactor', 'sampleRate', 'fMin', 'fMax', 'power', 'topDb', 'logOffset', 'snrDb', 'timeMaskMaxRatio',
]);
/** Options where one number and an array of them are both right. */
const NUMBER_OR_LIST = new Set(['LayerNormalization.axis', 'RMSNormalization.axis']);
/** Strings that are names (any string goes), or that a number may replace (padding: 1). */
const ANY_STRING = new Set(['name', 'className']);
const NUMBER_FOR_STRING_OK = new Set(['padding']);

type Path = (string | number)[];

function leaves(value: unknown, path: Path = []): [Path, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v: unknown, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [[path, value]];
}

function withLeaf(config: Config, path: Path, value: unknown): Config {
  const copy = structuredClone(config);
  let at: Record<string | number, unknown> = copy;
  for (const p of path.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return copy;
}

/** The wrong-typed replacements of `value` found at option `key` of class `cls`. */
function wrongValues(cls: string, key: string, value: unknown): unknown[] {
  if (typeof value === 'number') {
    const out: unknown[] = [String(value), true, NaN, Infinity];
    if (!NUMBER_OR_LIST.has(`${cls}.${key}`)) out.push([value]);
    if (Number.isInteger(value) && !REAL.has(key)) out.push(value + 0.5);
    return out;
  }
  if (typeof value === 'boolean') return [Number(value), String(value), [value]];
  if (typeof value === 'string') {
    if (ANY_STRING.has(key)) return key === 'name' ? [5, ['a']] : [];
    return NUMBER_FOR_STRING_OK.has(key) ? ['bogus'] : [5, 'bogus'];
  }
  if (value === null) return [true, 'bogus'];
  return [];
}

const fullConfig = (cls: string): Config =>
  JSON.parse(JSON.stringify(nb.layerFromConfig({ className: cls, config: REQUIRED[cls]! }).getConfig())) as Config;

test('the table covers every registered layer class', () => {
  const missing = registeredLayerNames().filter((n) => !(n in REQUIRED));
  assert.deepEqual(missing, [], `add the required options of ${missing.join(', ')} to REQUIRED`);
});

test('every layer class rebuilds from its full config, and refuses an extra key by name', () => {
  for (const cls of registeredLayerNames()) {
    const config = fullConfig(cls);
    const copy = nb.layerFromConfig({ className: cls, config });
    assert.deepEqual(JSON.parse(JSON.stringify(copy.getConfig())), config, `${cls}: config round trip`);
    assert.throws(() => nb.layerFromConfig({ className: cls, config: { ...config, bogusOption: 1 } }), { name: 'ValueError', message: /Unknown option 'bogusOption'/ }, cls);
  }
});

test('every option of every layer class, nested configs included, refuses a value of the wrong type by name', (t) => {
  let checked = 0;
  const failures: string[] = [];
  for (const cls of registeredLayerNames()) {
    const config = fullConfig(cls);
    for (const [path, value] of leaves(config)) {
      const key = [...path].reverse().find((p): p is string => typeof p === 'string')!;
      for (const wrong of wrongValues(cls, key, value)) {
        checked++;
        const where = `${cls} ${path.join('.')} = ${typeof wrong === 'string' ? JSON.stringify(wrong) : Array.isArray(wrong) ? `[${String(wrong)}]` : String(wrong)}`;
        try {
          nb.layerFromConfig({ className: cls, config: withLeaf(config, path, wrong) });
          failures.push(`${where}: accepted`);
        } catch (e) {
          const ok = e instanceof nb.ValueError && e.message.includes(key);
          if (!ok) failures.push(`${where}: ${(e as Error).name}: ${(e as Error).message}`);
        }
      }
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${checked} wrong values were not refused by name:\n${failures.join('\n')}`);
  assert.ok(checked > 1500, `only ${checked} cases`);
  t.diagnostic(`${checked} wrong values over ${registeredLayerNames().length} layer classes, each refused by name`);
});
