/**
 * Plots a person can look at without any other tool: training curves (`history`) and a
 * classifier's confusion matrix (`confusionMatrix`), written as PNG (drawn by nabla's own small
 * rasteriser and bitmap font) or SVG, chosen by the file extension. Both formats are drawn from
 * the same `Figure`, so they show the same thing.
 *
 * @example
 * const h = await model.fit(x, y, { epochs: 10, validationSplit: 0.1 });
 * nb.plot.history(h, 'curves.png');
 * nb.plot.confusionMatrix(test.y, model.predict(test.x), 'confusion.svg', { classNames });
 */
export { history, historyFigure, type HistoryPlotOptions } from './history.js';
export { parseHistory, historyPanels, type HistoryData, type HistoryPanel } from './history-data.js';
export { confusionMatrix, confusionMatrixFigure, type ConfusionMatrixOptions } from './confusion.js';
export { confusionCounts, toLabels, type LabelsLike } from './confusion-counts.js';
export { toPng, writeFigure, PLOT_EXTENSIONS } from './output.js';
export { toSvg } from './svg.js';
export { rasterize } from './raster.js';
export { niceAxis, epochAxis, type Axis } from './ticks.js';
export type { Figure, Shape, RectShape, PolylineShape, CircleShape, TextShape } from './figure.js';
