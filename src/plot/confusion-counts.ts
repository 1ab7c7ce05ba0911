import { confusionCounts as countConfusion, type LabelsLike } from '../model/metrics/confusion-matrix.js';

export { toLabels, type LabelsLike } from '../model/metrics/confusion-matrix.js';

/**
 * The confusion matrix as `plot.confusionMatrix` draws it: `counts[t][p]` is how many samples of
 * true class `t` were predicted as class `p`, `numClasses` rows (default: one more than the largest
 * label seen). The counting is the metrics' (`nb.metrics.confusionMatrix`); errors name `who`.
 *
 * @example
 * confusionCounts([0, 1, 1], [0, 1, 0]) // [[1, 0], [1, 1]]
 */
export function confusionCounts(yTrue: LabelsLike, yPred: LabelsLike, numClasses?: number, who = 'plot.confusionMatrix'): number[][] {
  return countConfusion(yTrue, yPred, numClasses, who);
}
