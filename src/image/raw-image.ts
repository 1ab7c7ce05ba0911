/**
 * Pixels as a decoder gives them, before they become a tensor: 4 samples per pixel (R, G, B, A;
 * gray files repeat the gray value in R, G and B), each in `[0, max]`.
 */
export interface RawImage {
  width: number;
  height: number;
  rgba: ArrayLike<number>;
  /** The largest sample value (255 for 8-bit data, 65535 for 16-bit PNGs). */
  max: number;
  /** What the file holds: 1 (gray), 3 (colour) or 4 (with transparency). */
  channels: 1 | 3 | 4;
}
