// Bad WAV input: each is a clear error naming the file, what is wrong and the fix (or a documented
// behaviour: a streaming data size, a partial last frame, a cut-off chunk after the samples).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWav, decodeWav } from '../../src/audio/index.js';
import { FileNotFoundError, FileReadError, FormatError } from '../../src/formats/errors.js';
import { withAllocationLimit } from '../../src/tensor/allocation-limit.js';
import { ValueError } from '../../src/tensor/errors.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/audio/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nabla-wav-bad-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function chunk(id: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, Buffer.alloc(body.length % 2)]);
}
function fmtBody(tag: number, channels: number, rate: number, bits: number, guid?: Buffer): Buffer {
  const b = Buffer.alloc(guid ? 40 : 16);
  b.writeUInt16LE(guid ? 0xfffe : tag, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(rate, 4);
  b.writeUInt32LE((rate * channels * bits) / 8, 8);
  b.writeUInt16LE((channels * bits) / 8, 12);
  b.writeUInt16LE(bits, 14);
  if (guid) {
    b.writeUInt16LE(22, 16);
    b.writeUInt16LE(bits, 18);
    guid.copy(b, 24);
  }
  return b;
}
function wav(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WAVE'), ...chunks]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}
const guid = (tag: number, tail = '000000001000800000aa00389b71') => Buffer.concat([Buffer.from([tag & 0xff, tag >> 8]), Buffer.from(tail, 'hex')]);
const samples16 = (...v: number[]) => Buffer.from(Int16Array.from(v).buffer);
let count = 0;
function file(bytes: Uint8Array): string {
  const path = join(dir, `bad${count++}.wav`);
  writeFileSync(path, bytes);
  return path;
}
/** readWav on `bytes` must throw a FormatError whose message names the file and matches `re`. */
function refuses(bytes: Uint8Array, re: RegExp): void {
  const path = file(bytes);
  assert.throws(() => readWav(path), (e: Error) => {
    assert.ok(e instanceof FormatError, `${e.name}: ${e.message}`);
    assert.ok(e.message.startsWith(`readWav: ${JSON.stringify(path)}: `), e.message);
    assert.match(e.message, re);
    return true;
  });
}

test('a missing file, a folder', () => {
  assert.throws(() => readWav(join(dir, 'nope.wav')), (e: Error) => e instanceof FileNotFoundError && /readWav: no file at/.test(e.message));
  assert.throws(() => readWav(dir), (e: Error) => e instanceof FileReadError && /it is a directory/.test(e.message));
});

test('not a WAV file: too short, another format, RIFF of another kind, RIFX and RF64', () => {
  refuses(Buffer.from('RIFF\x00'), /the file is 5 bytes, shorter than the 12-byte RIFF\/WAVE header \(7 bytes missing\)/);
  refuses(Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'), /not a WAV file: it starts with bytes 49 44 33 04, not 'RIFF' … 'WAVE'.*ffmpeg -i in\.mp3 out\.wav/);
  refuses(Buffer.from('RIFF\x04\x00\x00\x00AVI '), /not a WAV file: its RIFF form type is 'AVI '/);
  refuses(Buffer.from('RIFX\x04\x00\x00\x00WAVE'), /a big-endian RIFX WAV file, which readWav does not read; convert it to 16-bit PCM, e\.g\. `ffmpeg -i in\.wav -c:a pcm_s16le out\.wav`/);
  refuses(Buffer.from('RF64\xff\xff\xff\xffWAVE'), /an? RF64 \(64-bit size\) WAV file/);
});

test('a truncated file says which chunk and how many bytes are missing', () => {
  const good = readFileSync(join(FIXTURES, 'pcm16_mono.wav'));
  refuses(good.subarray(0, good.length - 10), /the file is truncated: its 'data' chunk at byte 36 declares 240 bytes but only 230 follow \(10 bytes missing\)/);
  refuses(good.subarray(0, 30), /its 'fmt ' chunk at byte 12 declares 16 bytes but only 10 follow \(6 bytes missing\)/);
  refuses(good.subarray(0, 36), /no 'data' chunk \(the samples\); the file is truncated after its header/);
  refuses(wav(chunk('data', samples16(1, 2))), /no 'fmt ' chunk, so the sample format is unknown/);
  refuses(wav(chunk('fmt ', Buffer.alloc(14)), chunk('data', samples16(1))), /the 'fmt ' chunk is 14 bytes, shorter than the 16 a WAV format needs \(2 bytes missing\)/);
  refuses(wav(chunk('fmt ', fmtBody(1, 1, 8000, 16).subarray(0, 16)), chunk('data', samples16(1))).subarray(0, 12), /no 'fmt ' chunk/);
});

test('compressed formats are named, with the command that converts them', () => {
  const cases: [number, string][] = [[6, 'A-law'], [7, 'µ-law'], [2, 'Microsoft ADPCM'], [0x11, 'IMA ADPCM'], [0x55, 'MP3'], [0x31, 'GSM 6.10']];
  for (const [tag, name] of cases) {
    const hex = tag.toString(16).padStart(4, '0');
    refuses(wav(chunk('fmt ', fmtBody(tag, 1, 8000, 8)), chunk('data', Buffer.alloc(4))), new RegExp(`the samples are ${name}-compressed \\(format tag 0x${hex}\\); readWav reads uncompressed PCM and IEEE float only — convert it to 16-bit PCM, e\\.g\\. \`ffmpeg -i in\\.wav -c:a pcm_s16le out\\.wav\``));
  }
  refuses(wav(chunk('fmt ', fmtBody(0x1234, 1, 8000, 16)), chunk('data', Buffer.alloc(4))), /the samples are in an unknown format \(format tag 0x1234\)/);
  // inside WAVE_FORMAT_EXTENSIBLE the sub-format GUID is what counts, and it is checked whole
  refuses(wav(chunk('fmt ', fmtBody(0, 1, 8000, 8, guid(7))), chunk('data', Buffer.alloc(4))), /µ-law-compressed \(sub-format 0x0007\)/);
  refuses(wav(chunk('fmt ', fmtBody(0, 1, 8000, 16, guid(1, '00000000100080000000000000ff'))), chunk('data', Buffer.alloc(4))), /WAVE_FORMAT_EXTENSIBLE with sub-format GUID 010000000000100080000000000000ff, which is not a standard WAVE format/);
  refuses(wav(chunk('fmt ', fmtBody(0, 1, 8000, 16)), chunk('data', Buffer.alloc(4))), /an unknown format \(format tag 0x0000\)/);
  const short = fmtBody(0, 1, 8000, 16, guid(1)).subarray(0, 24);
  refuses(wav(chunk('fmt ', short), chunk('data', Buffer.alloc(4))), /a WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk needs 40 bytes, this one has 24 \(16 bytes missing\)/);
});

test('sample sizes other than 8/16/24/32-bit PCM and 32/64-bit float, no channels, a rate of 0', () => {
  refuses(wav(chunk('fmt ', fmtBody(1, 1, 8000, 12)), chunk('data', Buffer.alloc(4))), /12-bit integer PCM samples are not supported \(8, 16, 24, 32 are\)/);
  refuses(wav(chunk('fmt ', fmtBody(3, 1, 8000, 16)), chunk('data', Buffer.alloc(4))), /16-bit IEEE float samples are not supported \(32, 64 are\)/);
  refuses(wav(chunk('fmt ', fmtBody(1, 0, 8000, 16)), chunk('data', Buffer.alloc(4))), /the 'fmt ' chunk says 0 channels/);
  refuses(wav(chunk('fmt ', fmtBody(1, 1, 0, 16)), chunk('data', Buffer.alloc(4))), /a sample rate of 0 Hz/);
});

test('documented leniencies: a streaming data size reads to the end, a partial last frame is dropped, a cut-off chunk after the samples is ignored', () => {
  const streaming = wav(chunk('fmt ', fmtBody(1, 1, 8000, 16)), chunk('data', samples16(16384, -16384, 8192)));
  streaming.writeUInt32LE(0xffffffff, 40);
  assert.deepEqual(decodeWav(streaming).waveform.toArray(), [[0.5, -0.5, 0.25]]);
  const partial = wav(chunk('fmt ', fmtBody(1, 2, 8000, 16)), chunk('data', samples16(16384, -16384, 8192)));
  assert.deepEqual(decodeWav(partial).waveform.toArray(), [[0.5], [-0.5]]);
  const tail = wav(chunk('fmt ', fmtBody(1, 1, 8000, 16)), chunk('data', samples16(8192)), chunk('LIST', Buffer.alloc(40)));
  assert.deepEqual(decodeWav(tail.subarray(0, tail.length - 20)).waveform.toArray(), [[0.25]]);
});

test('the allocation limit applies to the decoded samples', () => {
  const path = join(FIXTURES, 'pcm16_mono.wav');
  const cap = { bytes: 400, who: 'loading', remedy: 'raise the cap' };
  assert.throws(() => withAllocationLimit(cap, () => readWav(path)), (e: Error) => e instanceof ValueError && /loading: a tensor of 0\.0 MB was asked for .*raise the cap/.test(e.message));
  assert.deepEqual(withAllocationLimit({ ...cap, bytes: 480 }, () => readWav(path)).waveform.shape, [1, 120]);
});
