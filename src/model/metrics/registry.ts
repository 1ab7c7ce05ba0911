import { ValueError } from '../../tensor/errors.js';
import { Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './accuracy.js';
import { AUC } from './auc.js';
import { Precision, Recall } from './confusion.js';
import { Metric } from './metric.js';
import { MeanAbsoluteError, MeanSquaredError } from './regression.js';

const FACTORIES: Readonly<Record<string, (name: string) => Metric>> = {
  accuracy: (n) => new Accuracy(n),
  acc: (n) => new Accuracy(n),
  binaryAccuracy: (n) => new BinaryAccuracy(0.5, n),
  categoricalAccuracy: (n) => new CategoricalAccuracy(n),
  sparseCategoricalAccuracy: (n) => new SparseCategoricalAccuracy(n),
  topKCategoricalAccuracy: (n) => new TopKCategoricalAccuracy(5, n),
  sparseTopKCategoricalAccuracy: (n) => new SparseTopKCategoricalAccuracy(5, n),
  mse: (n) => new MeanSquaredError(n),
  meanSquaredError: (n) => new MeanSquaredError(n),
  mae: (n) => new MeanAbsoluteError(n),
  meanAbsoluteError: (n) => new MeanAbsoluteError(n),
  precision: (n) => new Precision(0.5, n),
  recall: (n) => new Recall(0.5, n),
  auc: (n) => new AUC(200, n),
};

/** The metric names `getMetric` understands. */
export const METRIC_NAMES: readonly string[] = Object.keys(FACTORIES);

/**
 * A fresh metric from its Keras name (camelCase; aliases `acc`, `mse`, `mae`…), or the given
 * metric itself. As in Keras, a metric made from a name logs under that name (`'acc'` → `acc`).
 *
 * @example
 * getMetric('acc').name;            // 'acc'
 * getMetric(new AUC(100)).name;     // 'auc'
 */
export function getMetric(nameOrMetric: string | Metric): Metric {
  if (nameOrMetric instanceof Metric) return nameOrMetric;
  const make = typeof nameOrMetric === 'string' && Object.hasOwn(FACTORIES, nameOrMetric) ? FACTORIES[nameOrMetric] : undefined;
  if (make === undefined) {
    throw new ValueError(`getMetric: unknown metric ${JSON.stringify(nameOrMetric)}; use one of ${METRIC_NAMES.join(', ')}, or pass a Metric instance`);
  }
  return make(nameOrMetric as string);
}
