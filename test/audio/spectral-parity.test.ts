/**
 * nb.audio's spectral features against torchaudio 0.13 on real recordings (Done-when 1 of
 * issue 15): the references come from scripts/fixtures/spectral.py (outputs only, float32);
 * the clips are read here from ../shared/data, cropped as the fixture's metadata says.
 *
 * The measure is max |nabla − torchaudio| / max |torchaudio| over each output. A spectrogram's
 * values span ten orders of magnitude and both sides are float32: the rounding error of an FFT
 * bin is a fraction of the frame's energy, not of the bin's own value, so quiet bins differ
 * elementwise by far more than 1e-4 of themselves while agreeing to 1e-7 of the spectrum. Peak-
 * relative error is what a feature consumer sees, and it stays a strict test: a wrong window,
 * frame offset, normalisation or mel point moves it to 1e-2 or more.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { peakRelativeError } from './peak-error.js';

const SHARED = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/audio/spectral.safetensors', import.meta.url));

interface Clip { path: string; start: number; length: number; sampleRate: number }
interface Case { clip: number; name: string; fn: 'spectrogram' | 'melSpectrogram' | 'amplitudeToDb' | 'mfcc'; input?: string; options: Record<string, unknown> }

const { tensors, metadata } = nb.io.loadSafetensors(FIXTURE);
const clips = JSON.parse(metadata['clips']!) as Clip[];
const cases = JSON.parse(metadata['cases']!) as Case[];
const missing = clips.find((c) => !existsSync(join(SHARED, c.path)));
const skip = missing ? `the shared clip ${missing.path} is not present in ../shared/data` : false;

/** max |a − b| / max |b| over the whole output. */
function tensorPeakError(actual: Tensor, expected: Tensor): number {
  assert.deepEqual(actual.shape, expected.shape);
  return peakRelativeError(nb.cast(actual, 'float64').data() as Float64Array, nb.cast(expected, 'float64').data() as Float64Array);
}

/** The clip as torchaudio loaded it, cropped: `[1, length]` float32. */
function clipWaveform(c: Clip): Tensor {
  const { waveform, sampleRate } = nb.audio.readWav(join(SHARED, c.path));
  assert.equal(sampleRate, c.sampleRate);
  return nb.contiguous(nb.slice(waveform, [null, [c.start, c.start + c.length]]));
}

function run(c: Case, x: Tensor, outputs: Map<string, Tensor>): Tensor {
  const o = c.options as never;
  switch (c.fn) {
    case 'spectrogram': return nb.audio.spectrogram(x, o);
    case 'melSpectrogram': return nb.audio.melSpectrogram(x, o);
    case 'mfcc': return nb.audio.mfcc(x, o);
    case 'amplitudeToDb': return nb.audio.amplitudeToDb(outputs.get(c.input!)!, o);
  }
}

describe('spectral features match torchaudio 0.13 on FSDD and Speech Commands clips', { skip }, () => {
  const worst = new Map<string, number>();
  clips.forEach((clip, ci) => {
    test(`${clip.path} (${clip.sampleRate} Hz, ${clip.length} samples from ${clip.start})`, (t) => {
      t.mock.method(console, 'warn', () => {}); // 128 mels over 201 bins at 8 kHz leave empty filters, as torchaudio warns
      const x = clipWaveform(clip);
      const outputs = new Map<string, Tensor>();
      for (const c of cases.filter((k) => k.clip === ci)) {
        const y = run(c, x, outputs);
        outputs.set(c.name, y);
        const err = tensorPeakError(y, tensors[`${ci}/${c.name}`]!);
        worst.set(c.name, Math.max(worst.get(c.name) ?? 0, err));
        assert.ok(err < 1e-4, `${c.name} on ${clip.path}: max |Δ| / max |ref| = ${err.toExponential(2)}`);
      }
    });
  });
  test('report: the worst error of each option set over the four clips', (t) => {
    for (const [name, err] of worst) t.diagnostic(`${name.padEnd(34)} ${err.toExponential(2)}`);
    assert.equal(worst.size, new Set(cases.map((c) => c.name)).size);
  });
});
