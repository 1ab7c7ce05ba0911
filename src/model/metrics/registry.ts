import { ValueError } from '../../tensor/errors.js';
import { Registry } from '../../tensor/registry.js';
import { Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './accuracy.js';
import { AUC } from './auc.js';
import { F1Score, MulticlassPrecision, MulticlassRecall } from './class-scores.js';
import { Precision, Recall } from './confusion.js';
import { Metric } from './metric.js';
import { MeanAbsoluteError, MeanSquaredError } from './regression.js';

/** Each factory is given the name the metric was asked for, which it logs under. */
const registry = new Registry<(name: string) => Metric>({ kind: 'metric', hint: 'Or pass a Metric instance.' });
registry.register('accuracy', (n) => new Accuracy(n));
registry.register('binaryAccuracy', (n) => new BinaryAccuracy(0.5, n));
registry.register('categoricalAccuracy', (n) => new CategoricalAccuracy(n));
registry.register('sparseCategoricalAccuracy', (n) => new SparseCategoricalAccuracy(n));
registry.register('topKCategoricalAccuracy', (n) => new TopKCategoricalAccuracy(5, n));
registry.register('sparseTopKCategoricalAccuracy', (n) => new SparseTopKCategoricalAccuracy(5, n));
registry.register('meanSquaredError', (n) => new MeanSquaredError(n));
registry.register('meanAbsoluteError', (n) => new MeanAbsoluteError(n));
registry.register('precision', (n) => new Precision(0.5, n));
registry.register('recall', (n) => new Recall(0.5, n));
registry.register('auc', (n) => new AUC(200, n));
registry.register('f1Score', (name) => new F1Score({ name }));
registry.register('macroPrecision', (name) => new MulticlassPrecision({ name }));
registry.register('macroRecall', (name) => new MulticlassRecall({ name }));
registry.alias('acc', 'accuracy');
registry.alias('mse', 'meanSquaredError');
registry.alias('mae', 'meanAbsoluteError');
registry.alias('f1', 'f1Score');
registry.alias('macroF1', 'f1Score');

/** The metric names `getMetric` understands (snake_case and any case work too). */
export const METRIC_NAMES: readonly string[] = registry.names();

/**
 * A fresh metric from its Keras name (camelCase, snake_case or any case; aliases `acc`, `mse`,
 * `mae`, `f1` and `macroF1` for `f1Score`), or the given metric itself. As in Keras, a metric made from a name logs under that
 * name (`'acc'` → `acc`).
 *
 * @example
 * getMetric('acc').name;            // 'acc'
 * getMetric(new AUC(100)).name;     // 'auc'
 */
export function getMetric(nameOrMetric: string | Metric): Metric {
  if (nameOrMetric instanceof Metric) return nameOrMetric;
  if (typeof nameOrMetric !== 'string') {
    throw new ValueError(`getMetric: expected a metric name or a Metric instance, got ${nameOrMetric === null ? 'null' : typeof nameOrMetric}`);
  }
  return registry.get(nameOrMetric)(nameOrMetric);
}
