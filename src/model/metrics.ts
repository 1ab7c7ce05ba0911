// Streaming metrics in the Keras style (Σ w·score / Σ w over every value of an epoch). One family
// per file under metrics/: metric.ts (Metric, MeanMetric and the shared checks), accuracy.ts,
// regression.ts, confusion.ts (Precision, Recall: binary), class-scores.ts (precision, recall and
// F-scores over classes, macro/micro/weighted or per class), confusion-matrix.ts, auc.ts, mean.ts,
// registry.ts (getMetric).
export { Metric, MeanMetric, type Scores } from './metrics/metric.js';
export {
  Accuracy, accuracyKind, type AccuracyKind, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy,
} from './metrics/accuracy.js';
export { MeanAbsoluteError, MeanSquaredError } from './metrics/regression.js';
export { Precision, Recall } from './metrics/confusion.js';
export { AUC } from './metrics/auc.js';
export {
  ClassConfusionMetric, F1Score, FBetaScore, MulticlassPrecision, MulticlassRecall, type ClassAverage,
  type ClassMetricOptions, type FBetaOptions,
} from './metrics/class-scores.js';
export { confusionMatrix, type ConfusionMatrixCountOptions, type LabelsLike } from './metrics/confusion-matrix.js';
export { Mean } from './metrics/mean.js';
export { getMetric, METRIC_NAMES } from './metrics/registry.js';
