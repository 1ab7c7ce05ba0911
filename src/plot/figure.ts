import { ADVANCE, CAP_HEIGHT, DESCENT } from './font.js';

/**
 * A picture as a flat list of shapes in pixel coordinates (origin top left, y down). Every plot is
 * built once as a `Figure`; the SVG writer and the PNG rasteriser both draw that same list, so the
 * two files always show the same thing.
 */
export interface Figure {
  readonly width: number;
  readonly height: number;
  /** `#rrggbb` painted under everything. */
  readonly background: string;
  readonly shapes: readonly Shape[];
}

/** An axis-aligned filled rectangle (no stroke: borders are thin rectangles of their own). */
export interface RectShape {
  readonly kind: 'rect';
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly fill: string;
}

/** A connected line through `points`, optionally dashed (`[on, off]` lengths in pixels). */
export interface PolylineShape {
  readonly kind: 'polyline';
  readonly points: ReadonlyArray<readonly [number, number]>;
  readonly color: string;
  readonly width: number;
  readonly dash?: readonly [number, number];
}

/** A filled disc. */
export interface CircleShape {
  readonly kind: 'circle';
  readonly cx: number;
  readonly cy: number;
  readonly r: number;
  readonly fill: string;
}

/**
 * One line of text. `(x, y)` is the anchor point on the baseline; `scale` multiplies the 5×7
 * bitmap font (the SVG uses `font-size = 10 · scale`); `rotate: -90` reads bottom to top.
 */
export interface TextShape {
  readonly kind: 'text';
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly scale: number;
  readonly color: string;
  readonly anchor: 'start' | 'middle' | 'end';
  readonly rotate?: 0 | -90;
}

/** Any of the shapes a figure is made of. */
export type Shape = RectShape | PolylineShape | CircleShape | TextShape;

/**
 * Width in pixels of `text` at `scale`, as the bitmap font draws it (no trailing spacing).
 *
 * @example
 * textWidth('loss', 2) // 4 characters · 12 px − 2 px = 46
 */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * ADVANCE - 1) * scale;
}

/** Height from the cap line to the baseline at `scale`. */
export function capHeight(scale: number): number {
  return CAP_HEIGHT * scale;
}

/** Depth below the baseline (descenders) at `scale`. */
export function descent(scale: number): number {
  return DESCENT * scale;
}
