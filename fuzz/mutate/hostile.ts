/**
 * The values a hostile or unlucky file puts in JSON: numbers that overflow, coerce or are not
 * numbers at all, names that reach `Object.prototype`, nesting that overflows recursive code,
 * sizes that exhaust memory, and, per key, the values that key's reader must refuse.
 */
import { arr, fromValue, obj, raw, val, type JNode } from './json-tree.js';
import type { Rng } from '../rng.js';

/** Names that reach a prototype when used as a key of a plain object or a registry lookup. */
export const RESERVED_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'];

/** Dotted names that a reader splitting on '.' turns into prototype paths. */
export const DOTTED_NAMES = ['__proto__.toString', 'constructor.polluted', 'constructor.prototype.polluted', 'layers.0.kernel.__proto__', 'prototype.m', '__proto__.__proto__.x'];

const deepArray = (n: number): JNode => raw('['.repeat(n) + ']'.repeat(n));
const deepObject = (n: number): JNode => raw('{"a":'.repeat(n) + '1' + '}'.repeat(n));
const longArray = (n: number, item: string): JNode => raw(`[${Array.from({ length: n }, () => item).join(',')}]`);

/** Numbers (and number-like text) that a reader must check rather than coerce. */
function hostileNumber(rng: Rng): JNode {
  return rng.pick<() => JNode>([
    () => val(0), () => raw('-0'), () => val(-1), () => val(1), () => val(0.5), () => val(-0.5), () => val(1.5), () => val(3),
    () => val(2 ** 31), () => val(2 ** 32), () => raw('9007199254740993'), () => val(1e308), () => raw('1e999'), () => raw('-1e999'),
    () => val(4000), () => val(1e6), () => val(1e9), () => val(-(2 ** 31)),
  ])();
}

/** Strings that break lookups, paths, regexes or memory. */
function hostileString(rng: Rng): JNode {
  return val(rng.pick([
    '', ' ', '0.001', '1e999', 'NaN', 'Infinity', '-1', 'true', 'null', ...RESERVED_NAMES, ...DOTTED_NAMES,
    'a'.repeat(100_000), '\u0000', '\ud800', '../../../../etc/passwd', '/dev/zero', '(a+)+$', 'Dense', 'Sequential',
  ]));
}

/** Structures: wrong types, prototype-shaped objects, deep nesting, long arrays. */
function hostileStructure(rng: Rng): JNode {
  return rng.pick<() => JNode>([
    () => val(null), () => val(true), () => val(false), () => arr(), () => obj(), () => arr(val(0.001)),
    () => obj(['__proto__', obj(['polluted', val(true)])]),
    () => obj(['constructor', obj(['prototype', obj(['polluted', val(true)])])]),
    () => obj(['className', val('constructor')], ['config', obj()]),
    () => obj(['className', val('__proto__')], ['config', obj(['__proto__', obj(['polluted', val(1)])])]),
    () => deepArray(rng.pick([1000, 10_000, 100_000])),
    () => deepObject(rng.pick([1000, 10_000, 100_000])),
    () => longArray(rng.pick([1000, 100_000]), rng.pick(['0', '1', '"a"', '[0,1]'])),
  ])();
}

/** One value from anywhere in the hostile lists. */
export function hostileValue(rng: Rng): JNode {
  return rng.weighted<(r: Rng) => JNode>([[4, hostileNumber], [3, hostileString], [3, hostileStructure]])(rng);
}

/** A hostile object key. */
export function hostileKey(rng: Rng): string {
  return rng.pick([...RESERVED_NAMES, ...DOTTED_NAMES, '', ' ', 'a'.repeat(10_000), '__metadata__', 'className', 'config', 'layers']);
}

const LAYER_CLASSES = [
  'Dense', 'Conv1D', 'Conv2D', 'LSTM', 'GRU', 'SimpleRNN', 'Embedding', 'LayerNormalization', 'BatchNormalization',
  'Dropout', 'Flatten', 'Reshape', 'MultiHeadAttention', 'Bidirectional', 'TimeDistributed', 'Sequential', 'Model', 'Layer',
  'InputLayer', 'LoRADense', 'Function', 'Object', 'eval', 'Array',
];
const SIZES = [0, -1, 1.5, '4', 4000, 1e6, 2 ** 31, [2, 2], raw('1e999'), null, true];
const RATES = ['0.001', [0.001], -1, 0, 1, 2, raw('1e999'), true, null, 1e-300];
const CATASTROPHIC = ['(a+)+$', '(a|aa)+$', '(.*a){25}', '([a-z]+)*!$', '(\\w+\\s?)+$', '(?:a?){30}a{30}', '(', '[', '\\', '(?<n>a)\\k<m>', '.{0,99999}'];

const asNode = (x: unknown): JNode => (typeof x === 'object' && x !== null && 't' in x ? (x as JNode) : fromValue(x));

/** Values aimed at what a key means (a class name, a size, a rate, a regex, generator state…). */
const KEY_HINTS: readonly [RegExp, readonly unknown[]][] = [
  [/^className$/, [...LAYER_CLASSES, ...RESERVED_NAMES]],
  [/^(loss|name|optimizer|activation|recurrentActivation|metrics?|reduction)$/, ['adam', 'sgd', 'mse', 'relu', 'softmax', 'linear', 'accuracy', ...RESERVED_NAMES, '', 'sparse_categorical_crossentropy']],
  [/Initializer$/, [obj(['className', val('Orthogonal')], ['config', obj(['gain', raw('1e999')])]), obj(['className', val('VarianceScaling')], ['config', obj(['scale', val(-1)], ['mode', val('constructor')])]), 'glorotUniform', ...RESERVED_NAMES]],
  [/Regularizer$/, [obj(['className', val('L2')], ['config', obj(['l2', val('0.1')])]), 'l2', ...RESERVED_NAMES]],
  [/^(dtype|format)$/, ['float32', 'float64', 'int32', 'bool', 'float16', 'F16', 'BF16', 'I64', 'U64', 'F8_E4M3', '', 'constructor', 'pt', 'nabla']],
  [/^(units|filters|inputDim|outputDim|numHeads|keyDim|valueDim|kernelSize|strides|poolSize|rank|vocabSize|size|axis|groups|dilationRate|targetShape|total_size)$/, SIZES],
  [/^(epsilon|momentum|rate|dropout|recurrentDropout|alpha|learningRate|gain|scale|beta1|beta2|l1|l2|clipNorm|clipValue|factor|maxval|minval|stddev|mean)$/, RATES],
  [/^(useBias|center|scale|returnSequences|returnState|goBackwards|trainable|maskZero|amsgrad|nesterov|fromLogits|causal)$/, [0, 1, 'true', 'false', null, [true]]],
  [/^source$/, CATASTROPHIC],
  [/^flags$/, ['g', 'gu', 'y', 'gimsuyd', 'x', 'uv', 'gg', '']],
  [/^s$/, [arr(val(0), val(0), val(0), val(0)), arr(val(1), val(2), val(3)), arr(val(1.5), val(2), val(3), val(4)), arr(val(-1), val(2), val(3), val(4)), arr(val(2 ** 32), val(0), val(0), val(0))]],
  [/^spare$/, [raw('1e999'), 'NaN', null, -1e308, '0.5']],
  [/^(epoch|step|iterations|formatVersion|version)$/, [-5, 1.5, raw('1e999'), '3', raw('9007199254740993'), 0, 99]],
  [/^(inputShape|shape|dims)$/, [arr(val(-1)), arr(val(0)), arr(val(1e9), val(1e9)), arr(), null, arr(val('a')), arr(val(1.5)), arr(val(2 ** 31), val(2 ** 31)), arr(raw('1e20'))]],
  [/^data_offsets$/, [arr(val(0), val(2 ** 53)), arr(val(-1), val(4)), arr(val(4), val(0)), arr(val(0)), arr(val('0'), val('4')), arr(val(1.5), val(8))]],
  [/^(chars|specialTokens)$/, [arr(val('ab')), arr(val('a'), val('a')), arr(val('')), arr(val(1)), longArray(100_000, '"x"'), arr(val('__proto__'), val('constructor'))]],
  [/^merges$/, [arr(arr(val(-1), val(5))), arr(arr(val(1e9), val(2))), arr(arr(val(0.5), val(1))), arr(arr(val(1))), longArray(100_000, '[97,97]'), arr(arr(val(256), val(256)))]],
  [/^unk$/, ['', 'ab', 1, '__proto__', 'toString']],
  [/^vocabulary$/, [arr(val('__proto__'), val('constructor'), val('toString')), arr(val('a'), val('a')), arr(val('')), arr(val(1), val(null)), longArray(100_000, '"w"'), arr()]],
  [/^idfWeights$/, [arr(val(-1)), arr(raw('1e999')), arr(val('1')), arr(), longArray(1000, '0.5')]],
];

/** Whether `hintFor` knows values aimed at `key`. */
export function hasHint(key: string | null): boolean {
  return key !== null && KEY_HINTS.some(([re]) => re.test(key));
}

/** A value aimed at `key`, or null when nothing special is known about it. */
export function hintFor(rng: Rng, key: string | null): JNode | null {
  if (key === null) return null;
  const hint = KEY_HINTS.find(([re]) => re.test(key));
  return hint ? asNode(rng.pick(hint[1])) : null;
}
