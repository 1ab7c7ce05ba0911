/**
 * The RIFF/WAVE container: the chunk walk and the `fmt ` chunk, checked field by field. Only the
 * sample formats torchaudio reads without a codec are accepted (integer PCM of 8, 16, 24 or 32
 * bits, IEEE float of 32 or 64 bits, plain or inside WAVE_FORMAT_EXTENSIBLE); a compressed one is
 * refused with its name and the command that converts it.
 */
import { FormatError } from '../formats/errors.js';

/** How the samples of a WAV file are stored: integers (`'pcm'`) or IEEE floats (`'float'`). */
export type WavSampleFormat = 'pcm' | 'float';

/** What the header of a WAV file says, and where its samples are. */
export interface WavLayout {
  sampleRate: number;
  channels: number;
  /** Bits of one stored sample: 8, 16, 24, 32 (pcm) or 32, 64 (float). */
  bitsPerSample: number;
  format: WavSampleFormat;
  /** Whether the header was WAVE_FORMAT_EXTENSIBLE. */
  extensible: boolean;
  /** Samples per channel (a trailing partial frame is not counted). */
  frames: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** The 14 bytes every KSDATAFORMAT_SUBTYPE GUID of a WAVE format tag ends with (after its 2-byte tag). */
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** Names of the compressed format tags met in practice, for the error that refuses them. */
const COMPRESSED: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0022: 'TrueSpeech',
  0x0031: 'GSM 6.10',
  0x0040: 'G.721 ADPCM',
  0x0050: 'MPEG audio',
  0x0055: 'MP3',
  0x0160: 'Windows Media Audio',
  0x0161: 'Windows Media Audio',
  0x1610: 'AAC',
  0xf1ac: 'FLAC',
};

/** The sample-rate hint of the conversion suggested for unsupported files. */
const CONVERT = 'convert it to 16-bit PCM, e.g. `ffmpeg -i in.wav -c:a pcm_s16le out.wav` (or `sox in.wav -e signed -b 16 out.wav`)';

const fourCC = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
const printable = (s: string) => (/^[\x20-\x7e]{4}$/.test(s) ? `'${s}'` : `bytes ${[...s].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(' ')}`);

/**
 * Reads the layout of the WAV file `bytes` (`who` starts every error: `readWav: "path"`). Chunks
 * other than `fmt ` and `data` (LIST, fact, cue, anything unknown) are skipped, an odd-sized
 * chunk's pad byte included; a chunk after the data that runs past the end of the file is
 * ignored, as players do. A data size of 0xFFFFFFFF (a recorder that never came back to fill it
 * in) means "up to the end of the file".
 */
export function parseWavLayout(bytes: Uint8Array, who: string): WavLayout {
  const n = bytes.length;
  if (n < 12) throw new FormatError(`${who}: the file is ${n} bytes, shorter than the 12-byte RIFF/WAVE header (${12 - n} bytes missing); the file is truncated or not a WAV file`);
  const magic = fourCC(bytes, 0);
  if (magic === 'RIFX' || magic === 'RF64') {
    throw new FormatError(`${who}: a ${magic === 'RIFX' ? 'big-endian RIFX' : 'RF64 (64-bit size)'} WAV file, which readWav does not read; ${CONVERT}`);
  }
  if (magic !== 'RIFF' || fourCC(bytes, 8) !== 'WAVE') {
    const found = magic !== 'RIFF' ? `it starts with ${printable(magic)}` : `its RIFF form type is ${printable(fourCC(bytes, 8))}`;
    throw new FormatError(`${who}: not a WAV file: ${found}, not 'RIFF' … 'WAVE'; pass a .wav file (other audio formats: convert with \`ffmpeg -i in.mp3 out.wav\`)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: Omit<WavLayout, 'frames' | 'dataOffset'> | null = null;
  let data: { offset: number; size: number } | null = null;
  for (let at = 12; at + 8 <= n; ) {
    const id = fourCC(bytes, at);
    let size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'data' && size === 0xffffffff) size = n - body;
    if (body + size > n) {
      // a truncated chunk after the samples (a LIST tag cut short) costs nothing: stop there
      if (id !== 'data' && data !== null && fmt !== null) break;
      throw new FormatError(`${who}: the file is truncated: its ${printable(id)} chunk at byte ${at} declares ${size} bytes but only ${n - body} follow (${body + size - n} bytes missing); download or export the file again`);
    }
    if (id === 'fmt ') fmt = parseFmt(view, body, size, who);
    else if (id === 'data' && data === null) data = { offset: body, size };
    at = body + size + (size % 2);
  }
  if (fmt === null) throw new FormatError(`${who}: no 'fmt ' chunk, so the sample format is unknown; the file is damaged or truncated before it — export it again as WAV`);
  if (data === null) throw new FormatError(`${who}: no 'data' chunk (the samples); the file is truncated after its header or damaged — export it again`);
  const frameBytes = fmt.channels * (fmt.bitsPerSample / 8);
  // a trailing partial frame is dropped (sox and torchaudio do the same)
  return { ...fmt, frames: Math.floor(data.size / frameBytes), dataOffset: data.offset };
}

/** The `fmt ` chunk of `size` bytes at `at`: format tag (looked through EXTENSIBLE), channels, rate, bits. */
function parseFmt(view: DataView, at: number, size: number, who: string): Omit<WavLayout, 'frames' | 'dataOffset'> {
  if (size < 16) throw new FormatError(`${who}: the 'fmt ' chunk is ${size} bytes, shorter than the 16 a WAV format needs (${16 - size} bytes missing); the file is damaged`);
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  const extensible = tag === WAVE_FORMAT_EXTENSIBLE;
  if (extensible) {
    if (size < 40) throw new FormatError(`${who}: a WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk needs 40 bytes, this one has ${size} (${40 - size} bytes missing); the file is damaged`);
    const guidAt = at + 24;
    const tail = GUID_TAIL.every((b, i) => view.getUint8(guidAt + 2 + i) === b);
    tag = view.getUint16(guidAt, true);
    if (!tail) {
      const hex = Array.from({ length: 16 }, (_, i) => view.getUint8(guidAt + i).toString(16).padStart(2, '0')).join('');
      throw new FormatError(`${who}: WAVE_FORMAT_EXTENSIBLE with sub-format GUID ${hex}, which is not a standard WAVE format (readWav reads PCM and IEEE float); ${CONVERT}`);
    }
  }
  const named = extensible ? `sub-format 0x${hex4(tag)}` : `format tag 0x${hex4(tag)}`;
  if (tag !== WAVE_FORMAT_PCM && tag !== WAVE_FORMAT_IEEE_FLOAT) {
    const what = COMPRESSED[tag] ? `${COMPRESSED[tag]}-compressed (${named})` : `in an unknown format (${named})`;
    throw new FormatError(`${who}: the samples are ${what}; readWav reads uncompressed PCM and IEEE float only — ${CONVERT}`);
  }
  const format = tag === WAVE_FORMAT_PCM ? 'pcm' : 'float';
  const allowed = format === 'pcm' ? [8, 16, 24, 32] : [32, 64];
  if (!allowed.includes(bitsPerSample)) {
    throw new FormatError(`${who}: ${bitsPerSample}-bit ${format === 'pcm' ? 'integer PCM' : 'IEEE float'} samples are not supported (${allowed.join(', ')} are); ${CONVERT}`);
  }
  if (channels === 0) throw new FormatError(`${who}: the 'fmt ' chunk says 0 channels; the file is damaged`);
  if (sampleRate === 0) throw new FormatError(`${who}: the 'fmt ' chunk says a sample rate of 0 Hz; the file is damaged`);
  return { sampleRate, channels, bitsPerSample, format, extensible };
}

const hex4 = (v: number) => v.toString(16).padStart(4, '0');
