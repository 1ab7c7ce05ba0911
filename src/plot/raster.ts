import { parseHex, type Rgb } from './colors.js';
import type { CircleShape, Figure, PolylineShape, RectShape, Shape, TextShape } from './figure.js';
import { ADVANCE, glyphPixels } from './font.js';

/**
 * Draws a `Figure` into RGBA pixels (row-major, 4 bytes a pixel, fully opaque), as the PNG writer
 * needs. Pixel (i, j) covers the square [i, i+1] × [j, j+1], as in SVG. Lines and discs are
 * anti-aliased by coverage: a pixel is painted in proportion to how far its centre lies inside
 * the shape's edge (one pixel of soft edge); rectangles and text are pixel-exact.
 *
 * @example
 * const rgba = rasterize(figure); // figure.width * figure.height * 4 bytes
 */
export function rasterize(figure: Figure): Uint8Array {
  const canvas = new Canvas(figure.width, figure.height, parseHex(figure.background));
  for (const shape of figure.shapes) canvas.draw(shape);
  return canvas.pixels;
}

class Canvas {
  readonly pixels: Uint8Array;
  // per-pixel coverage of the line being drawn; max-combined so joints are not painted twice
  private readonly coverage: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.pixels = new Uint8Array(width * height * 4);
    this.coverage = new Float32Array(width * height);
    const [r, g, b] = background;
    for (let p = 0; p < this.pixels.length; p += 4) {
      this.pixels[p] = r;
      this.pixels[p + 1] = g;
      this.pixels[p + 2] = b;
      this.pixels[p + 3] = 255;
    }
  }

  draw(shape: Shape): void {
    switch (shape.kind) {
      case 'rect':
        return this.rect(shape);
      case 'polyline':
        return this.polyline(shape);
      case 'circle':
        return this.circle(shape);
      case 'text':
        return this.text(shape);
    }
  }

  private blend(i: number, j: number, color: Rgb, alpha: number): void {
    if (i < 0 || j < 0 || i >= this.width || j >= this.height || alpha <= 0) return;
    const a = Math.min(1, alpha);
    const p = 4 * (j * this.width + i);
    for (let c = 0; c < 3; c++) this.pixels[p + c] = Math.round(this.pixels[p + c]! * (1 - a) + color[c]! * a);
  }

  private fill(x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
    // a pixel belongs to the rectangle when its centre does
    const i0 = Math.max(0, Math.round(x0)), i1 = Math.min(this.width, Math.round(x1));
    const j0 = Math.max(0, Math.round(y0)), j1 = Math.min(this.height, Math.round(y1));
    for (let j = j0; j < j1; j++) for (let i = i0; i < i1; i++) this.blend(i, j, color, 1);
  }

  private rect(s: RectShape): void {
    this.fill(s.x, s.y, s.x + s.w, s.y + s.h, parseHex(s.fill));
  }

  private circle(s: CircleShape): void {
    const color = parseHex(s.fill);
    const reach = s.r + 1;
    // clipped to the canvas as lines are: a disc at x = 1e17 (a point off its axis) would
    // otherwise be walked pixel by pixel where i + 1 === i
    const i0 = Math.max(0, Math.floor(s.cx - reach)), i1 = Math.min(this.width - 1, Math.ceil(s.cx + reach));
    const j0 = Math.max(0, Math.floor(s.cy - reach)), j1 = Math.min(this.height - 1, Math.ceil(s.cy + reach));
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const d = Math.hypot(i + 0.5 - s.cx, j + 0.5 - s.cy);
        this.blend(i, j, color, s.r + 0.5 - d);
      }
    }
  }

  private polyline(s: PolylineShape): void {
    const half = s.width / 2;
    const reach = half + 1;
    let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity;
    let along = 0; // arc length at the start of the current segment, so dashes run on across joints
    for (let k = 0; k + 1 < s.points.length; k++) {
      const [ax, ay] = s.points[k]!;
      const [bx, by] = s.points[k + 1]!;
      const len = Math.hypot(bx - ax, by - ay);
      const i0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach)), i1 = Math.min(this.width - 1, Math.ceil(Math.max(ax, bx) + reach));
      const j0 = Math.max(0, Math.floor(Math.min(ay, by) - reach)), j1 = Math.min(this.height - 1, Math.ceil(Math.max(ay, by) + reach));
      bx0 = Math.min(bx0, i0); by0 = Math.min(by0, j0); bx1 = Math.max(bx1, i1); by1 = Math.max(by1, j1);
      for (let j = j0; j <= j1; j++) {
        for (let i = i0; i <= i1; i++) {
          const d = distanceToInk(i + 0.5, j + 0.5, ax, ay, bx, by, len, along, s.dash);
          const c = half + 0.5 - d;
          const p = j * this.width + i;
          if (c > this.coverage[p]!) this.coverage[p] = Math.min(1, c);
        }
      }
      along += len;
    }
    const color = parseHex(s.color);
    for (let j = by0; j <= by1; j++) {
      for (let i = bx0; i <= bx1; i++) {
        const p = j * this.width + i;
        const c = this.coverage[p]!;
        if (c > 0) {
          this.blend(i, j, color, c);
          this.coverage[p] = 0;
        }
      }
    }
  }

  private text(s: TextShape): void {
    const color = parseHex(s.color);
    const w = (s.text.length * ADVANCE - 1) * s.scale;
    const start = s.anchor === 'start' ? 0 : s.anchor === 'middle' ? -w / 2 : -w;
    // (u, v): u along the text, v down from the cap line; the baseline is at v = 7·scale
    const u0 = Math.round(start);
    const top = -7 * s.scale;
    const x = Math.round(s.x), y = Math.round(s.y);
    [...s.text].forEach((ch, n) => {
      for (const [col, row] of glyphPixels(ch)) {
        const u = u0 + (n * ADVANCE + col) * s.scale;
        const v = top + row * s.scale;
        if (s.rotate === -90) this.fill(x + v, y - u - s.scale, x + v + s.scale, y - u, color);
        else this.fill(x + u, y + v, x + u + s.scale, y + v + s.scale, color);
      }
    });
  }
}

/**
 * Distance from (px, py) to the inked part of segment a→b: the whole segment, or for a dashed line
 * only the dashes (the pattern starts at arc length 0 of the polyline; `along` is the arc length
 * at a). Dash ends come out round, as with SVG's `stroke-linecap: round`.
 */
function distanceToInk(
  px: number, py: number, ax: number, ay: number, bx: number, by: number,
  len: number, along: number, dash: readonly [number, number] | undefined,
): number {
  if (len === 0) return Math.hypot(px - ax, py - ay);
  const ux = (bx - ax) / len, uy = (by - ay) / len;
  const t = (px - ax) * ux + (py - ay) * uy; // position along the segment's line
  const perp = Math.abs((px - ax) * uy - (py - ay) * ux);
  let nearest = Math.max(0, Math.min(len, t));
  if (dash) {
    const [on, off] = dash;
    const period = on + off;
    const s = along + nearest;
    const k = Math.floor(s / period);
    // the nearest point of a dash: inside the current dash, the end of this one or the next start
    let best = Infinity;
    for (const [d0, d1] of [[k * period, k * period + on], [(k + 1) * period, (k + 1) * period + on]] as const) {
      const c0 = Math.max(d0, along), c1 = Math.min(d1, along + len);
      if (c0 > c1) continue;
      const q = Math.max(c0, Math.min(c1, along + t)) - along;
      if (Math.abs(q - t) < Math.abs(best - t)) best = q;
    }
    if (best === Infinity) return Infinity;
    nearest = best;
  }
  const along2 = t - nearest;
  return Math.sqrt(perp * perp + along2 * along2);
}
