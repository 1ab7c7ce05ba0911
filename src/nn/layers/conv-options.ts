/**
 * What the convolution and pooling layers share: their window options as Keras names them,
 * validated once in the constructor, and the channel count of an input.
 */
import { ShapeError } from '../../tensor/errors.js';
import { fmt } from '../../tensor/shape.js';
import { checkPadding, perDim, slidingWindow, type DataFormat, type Padding } from '../../ops/window.js';
import type { Config } from '../config.js';
import { checkOneOf } from '../config-check.js';

export type { DataFormat, Padding };

/** The window options of the convolution layers (Keras names and defaults). */
export interface ConvWindowOptions {
  /** Step between windows: one number or one per spatial dim (default 1). */
  strides?: number | readonly number[];
  /** `'valid'` (default), `'same'`, a number, or `[before, after]` pairs per spatial dim (`'causal'` for Conv1D). */
  padding?: Padding;
  /** `'channelsLast'` (default, `[N, H, W, C]`) or `'channelsFirst'` (`[N, C, H, W]`). */
  dataFormat?: DataFormat;
  /** Spacing between kernel taps: one number or one per spatial dim (default 1). */
  dilationRate?: number | readonly number[];
}

/** The resolved window options, one entry per spatial dim. */
export interface ConvWindow {
  kernelSize: number[];
  strides: number[];
  padding: Padding;
  dataFormat: DataFormat;
  dilationRate: number[];
}

/** The `dataFormat` option: `'channelsLast'` (the default) or `'channelsFirst'`. */
export function readDataFormat(who: string, value: unknown): DataFormat {
  return value === undefined || value === null ? 'channelsLast' : checkOneOf(who, 'dataFormat', value, ['channelsLast', 'channelsFirst']);
}

/** Validates the window options of layer class `cls` with `rank` spatial dims. */
export function parseWindow(cls: string, rank: number, kernelSize: number | readonly number[], opts: ConvWindowOptions): ConvWindow {
  const dataFormat = readDataFormat(cls, opts.dataFormat);
  const padding = checkPadding(cls, opts.padding ?? 'valid', rank);
  return {
    kernelSize: perDim(cls, 'kernelSize', kernelSize, rank, 1),
    strides: perDim(cls, 'strides', opts.strides, rank, 1),
    padding: typeof padding === 'string' || typeof padding === 'number' ? padding : padding.map((p) => [p[0], p[1]] as [number, number]),
    dataFormat,
    dilationRate: perDim(cls, 'dilationRate', opts.dilationRate, rank, 1),
  };
}

/** The window options as config entries. */
export function windowConfig(w: ConvWindow): Config {
  return {
    kernelSize: w.kernelSize.slice(),
    strides: w.strides.slice(),
    padding: typeof w.padding === 'object' ? w.padding.map((p) => [p[0], p[1]]) : w.padding,
    dataFormat: w.dataFormat,
    dilationRate: w.dilationRate.slice(),
  };
}

/** Checks the rank of `inputShape` and returns its spatial sizes and channel count. */
export function inputDims(who: string, inputShape: readonly number[], rank: number, format: DataFormat): { spatial: number[]; channels: number } {
  if (inputShape.length !== rank + 2) {
    const names = rank === 1 ? ['length'] : ['height', 'width'];
    const layout = format === 'channelsLast' ? ['batch', ...names, 'channels'] : ['batch', 'channels', ...names];
    throw new ShapeError(`${who}: expected a ${rank + 2}-D input [${layout.join(', ')}], got shape ${fmt(inputShape)}`);
  }
  return format === 'channelsLast'
    ? { spatial: inputShape.slice(1, -1), channels: inputShape[rank + 1]! }
    : { spatial: inputShape.slice(2), channels: inputShape[1]! };
}

/** Puts `channels` and the spatial sizes back in `format`'s order: `[N, ...spatial, C]` or `[N, C, ...spatial]`. */
export function outputShape(batch: number, spatial: number[], channels: number, format: DataFormat): number[] {
  return format === 'channelsLast' ? [batch, ...spatial, channels] : [batch, channels, ...spatial];
}

/**
 * The output shape of a convolution layer `who` whose kernel slides by `w` over an input of
 * `inputShape`; `channelsOut` gives the output channels from the input's.
 */
export function convOutputShape(who: string, inputShape: readonly number[], rank: number, w: ConvWindow, channelsOut: (channelsIn: number) => number): number[] {
  const { spatial, channels } = inputDims(who, inputShape, rank, w.dataFormat);
  const win = slidingWindow(who, 'kernel', spatial, w.kernelSize, { strides: w.strides, padding: w.padding, dilation: w.dilationRate });
  return outputShape(inputShape[0]!, win.grid, channelsOut(channels), w.dataFormat);
}
