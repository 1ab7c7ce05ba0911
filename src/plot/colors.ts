import { ValueError } from '../tensor/errors.js';

/** The plots' colours, chosen to stay apart for colour-blind readers (blue against orange). */
export const COLORS = {
  background: '#ffffff',
  text: '#222222',
  mutedText: '#555555',
  axis: '#444444',
  grid: '#e3e3e3',
  train: '#1f5fbf',
  validation: '#e66a12',
} as const;

/** An RGB triple, each channel 0–255. */
export type Rgb = readonly [number, number, number];

/**
 * Parses `#rrggbb`.
 *
 * @example
 * parseHex('#ff8000') // [255, 128, 0]
 */
export function parseHex(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new ValueError(`plot: colour '${hex}' is not of the form #rrggbb`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** Formats an RGB triple as `#rrggbb` (channels rounded and clamped to 0–255). */
export function toHex([r, g, b]: Rgb): string {
  const part = (v: number): string => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0');
  return `#${part(r)}${part(g)}${part(b)}`;
}

// The heat-map ramp: near-white through a light blue to a deep blue, evenly spaced stops.
const HEAT_STOPS: readonly Rgb[] = [
  [247, 251, 255],
  [198, 219, 239],
  [107, 174, 214],
  [33, 113, 181],
  [8, 48, 107],
];

/**
 * The heat-map colour of `t` in [0, 1] (0 = pale, 1 = dark), interpolated linearly between stops.
 *
 * @example
 * heatColor(0) // '#f7fbff'
 */
export function heatColor(t: number): string {
  const u = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (HEAT_STOPS.length - 1);
  const i = Math.min(HEAT_STOPS.length - 2, Math.floor(u));
  const f = u - i;
  const a = HEAT_STOPS[i]!;
  const b = HEAT_STOPS[i + 1]!;
  return toHex([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
}

/** Relative luminance in [0, 1] (Rec. 709 weights on the 8-bit values), to pick readable text. */
export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}
