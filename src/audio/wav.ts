/**
 * WAV files as tensors. Reading scales samples as torchaudio.load does (normalize=True): integers
 * to [-1, 1) by their full scale (16-bit x/32768, 24-bit x/2²³, 32-bit x/2³¹, unsigned 8-bit
 * (x−128)/128), floats as stored. For 8, 16 and 24 bits that is torchaudio 0.13's output bit for
 * bit. Its sox backend passes 32-bit integers and floats through a 32-bit integer rounded to
 * steps of 2⁻²⁴ (and clips floats to [-1, 1]); readWav keeps the stored value instead, at most
 * 2⁻²⁵ from torchaudio 0.13's inside [-1, 1] (and equal to what torchaudio ≥ 2.1 returns). Writing is the exact inverse on those grids, so a clip read,
 * written in its own format and read again is the same tensor, bit for bit.
 */
import { writeFileAtomic } from '../formats/atomic.js';
import { readFileBytes } from '../formats/read-file.js';
import { denseData } from '../ops/primitives/alloc.js';
import { ValueError } from '../tensor/errors.js';
import { allocate, isFloat } from '../tensor/dtype.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { warn } from '../tensor/warn.js';
import { parseWavLayout, type WavSampleFormat } from './wav-header.js';

export type { WavSampleFormat } from './wav-header.js';

/** What `readWav` returns. */
export interface Audio {
  /** float32 `[channels, samples]`, integer formats scaled into [-1, 1). */
  waveform: Tensor;
  /** Samples per second per channel. */
  sampleRate: number;
}

/** Options of `writeWav`. */
export interface WriteWavOptions {
  /** Bits per sample: 8, 16 (default), 24 or 32 for `'pcm'`; 32 (default) or 64 for `'float'`. */
  bitsPerSample?: number;
  /** `'pcm'` (integers, default) or `'float'` (IEEE float). */
  format?: WavSampleFormat;
}

/**
 * Reads a WAV file as `{ waveform, sampleRate }`, `waveform` a float32 tensor `[channels,
 * samples]` equal to torchaudio.load's: integer PCM of 8 (unsigned), 16, 24 or 32 bits scaled to
 * [-1, 1), IEEE float of 32 or 64 bits as stored (64-bit rounded to float32); plain or
 * WAVE_FORMAT_EXTENSIBLE headers, any number of channels; other chunks (LIST, fact…) skipped.
 * A file with no samples gives a `[channels, 0]` tensor, as torchaudio does. A missing file is a
 * FileNotFoundError; a truncated or damaged file, a file that is not WAV, and compressed WAV
 * (A-law, µ-law, ADPCM, MP3…) are FormatErrors that say what is wrong and how to convert it.
 *
 * @example
 * const { waveform, sampleRate } = nb.audio.readWav('0_george_0.wav');   // [1, 2384], 8000
 */
export function readWav(path: string): Audio {
  const who = `readWav: ${JSON.stringify(path)}`;
  return decodeWav(readFileBytes(path, 'readWav'), who);
}

/**
 * Decodes the bytes of a WAV file (see `readWav`); `who` starts its error messages.
 *
 * @example
 * const { waveform } = nb.audio.decodeWav(bytes);
 */
export function decodeWav(bytes: Uint8Array, who = 'decodeWav'): Audio {
  const layout = parseWavLayout(bytes, who);
  const { channels, frames, bitsPerSample: bits, format, dataOffset } = layout;
  const out = allocate('float32', channels * frames) as Float32Array;
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, frames * channels * (bits / 8));
  const read = sampleReader(view, format, bits);
  const step = bits / 8;
  // interleaved frames in the file, one row per channel in the tensor
  for (let c = 0; c < channels; c++) {
    const row = c * frames;
    for (let i = 0, at = c * step, stride = channels * step; i < frames; i++, at += stride) out[row + i] = read(at);
  }
  return { waveform: new Tensor(out, [channels, frames]), sampleRate: layout.sampleRate };
}

/** A reader of one sample at a byte offset, already scaled as torchaudio scales it. */
function sampleReader(view: DataView, format: WavSampleFormat, bits: number): (at: number) => number {
  if (format === 'float') return bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  switch (bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => ((view.getInt8(at + 2) << 16) | (view.getUint8(at + 1) << 8) | view.getUint8(at)) / 8388608;
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}

/**
 * Writes `waveform` (`[channels, samples]`, or `[samples]` for mono; any float dtype) to `path`
 * as a WAV file at `sampleRate`, atomically (the file holds its old contents or the complete new
 * ones, never a mix; see `writeFileAtomic`). Integer PCM rounds each sample to the nearest step of
 * its grid (x·32768 for 16 bits) and clips what lies outside [-1, 1) with a warning; NaN or
 * infinite samples are refused. 8-bit PCM is unsigned, as the format requires.
 *
 * @example
 * nb.audio.writeWav('out.wav', waveform, 16000);
 * nb.audio.writeWav('out.wav', waveform, 48000, { format: 'float' });
 */
export function writeWav(path: string, waveform: Tensor, sampleRate: number, opts: WriteWavOptions = {}): void {
  writeFileAtomic(path, encodeWav(waveform, sampleRate, opts, `writeWav: ${JSON.stringify(path)}`));
}

/**
 * The bytes of a WAV file holding `waveform` at `sampleRate` (see `writeWav`): a 44-byte header
 * for PCM; for float, the 18-byte `fmt ` and the `fact` chunk the format asks for.
 *
 * @example
 * const bytes = nb.audio.encodeWav(waveform, 8000, { bitsPerSample: 24 });
 */
export function encodeWav(waveform: Tensor, sampleRate: number, opts: WriteWavOptions = {}, who = 'encodeWav'): Uint8Array {
  const format = opts.format ?? 'pcm';
  if (format !== 'pcm' && format !== 'float') throw new ValueError(`${who}: format must be 'pcm' or 'float', got ${JSON.stringify(format)}`);
  const bits = opts.bitsPerSample ?? (format === 'pcm' ? 16 : 32);
  const allowed = format === 'pcm' ? [8, 16, 24, 32] : [32, 64];
  if (!allowed.includes(bits)) throw new ValueError(`${who}: bitsPerSample must be one of ${allowed.join(', ')} for format '${format}', got ${JSON.stringify(bits)}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffffffff) {
    throw new ValueError(`${who}: sampleRate must be a positive whole number of samples per second, got ${JSON.stringify(sampleRate)}`);
  }
  if (!(waveform instanceof Tensor) || (waveform.ndim !== 1 && waveform.ndim !== 2) || !isFloat(waveform.dtype)) {
    const got = waveform instanceof Tensor ? `a ${waveform.dtype} tensor of shape ${fmt(waveform.shape)}` : String(waveform);
    throw new ValueError(`${who}: waveform must be a float tensor [channels, samples] (or [samples] for mono), got ${got}`);
  }
  const [channels, frames] = waveform.ndim === 1 ? [1, waveform.shape[0]!] : [waveform.shape[0]!, waveform.shape[1]!];
  const step = bits / 8;
  if (channels < 1 || channels > 0xffff) throw new ValueError(`${who}: a WAV file holds 1 to 65535 channels, the waveform has ${channels} (shape ${fmt(waveform.shape)}); pass [channels, samples]`);
  const dataBytes = channels * frames * step;
  const fmtSize = format === 'pcm' ? 16 : 18;
  const header = 12 + 8 + fmtSize + (format === 'float' ? 12 : 0) + 8;
  if (header - 8 + dataBytes + (dataBytes % 2) > 0xffffffff) throw new ValueError(`${who}: ${dataBytes} bytes of samples do not fit the 4 GB a WAV file can hold; write shorter clips`);
  const bytes = new Uint8Array(header + dataBytes + (dataBytes % 2));
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) => { for (let i = 0; i < 4; i++) bytes[at + i] = s.charCodeAt(i); };
  ascii(0, 'RIFF');
  view.setUint32(4, bytes.length - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, format === 'pcm' ? 1 : 3, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * step, true);
  view.setUint16(32, channels * step, true);
  view.setUint16(34, bits, true);
  let at = 36;
  if (format === 'float') {
    view.setUint16(36, 0, true); // cbSize: no extension
    ascii(38, 'fact');
    view.setUint32(42, 4, true);
    view.setUint32(46, frames, true);
    at = 50;
  }
  ascii(at, 'data');
  view.setUint32(at + 4, dataBytes, true);
  writeSamples(new DataView(bytes.buffer, at + 8, dataBytes), denseData(waveform), channels, frames, format, bits, who);
  return bytes;
}

/** Interleaves the rows of `src` ([channels, frames], row-major) into the data chunk. */
function writeSamples(view: DataView, src: ArrayLike<number>, channels: number, frames: number, format: WavSampleFormat, bits: number, who: string): void {
  const step = bits / 8;
  const full = 2 ** (bits - 1);
  let clipped = 0;
  for (let c = 0; c < channels; c++) {
    for (let i = 0, at = c * step; i < frames; i++, at += channels * step) {
      const x = src[c * frames + i]!;
      if (!Number.isFinite(x)) {
        throw new ValueError(`${who}: sample ${i} of channel ${c} is ${x}; a WAV file holds finite samples only (find where the NaN or Infinity came from, or replace it with nb.where)`);
      }
      if (format === 'float') {
        if (bits === 32) view.setFloat32(at, x, true);
        else view.setFloat64(at, x, true);
        continue;
      }
      let q = Math.round(x * full);
      if (q < -full || q > full - 1) {
        clipped++;
        q = q < -full ? -full : full - 1;
      }
      if (bits === 8) view.setUint8(at, q + 128);
      else if (bits === 16) view.setInt16(at, q, true);
      else if (bits === 32) view.setInt32(at, q, true);
      else {
        view.setUint8(at, q & 0xff);
        view.setUint8(at + 1, (q >> 8) & 0xff);
        view.setInt8(at + 2, q >> 16);
      }
    }
  }
  if (clipped > 0) warn(`${who}: ${clipped} of ${channels * frames} samples lay outside [-1, 1) and were clipped to the ${bits}-bit range; scale the waveform down (or write { format: 'float' }) to keep them`);
}
