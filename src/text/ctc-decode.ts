/**
 * Decoding CTC outputs (`nb.text.ctcDecode`): from per-frame class scores to label sequences.
 * Greedy takes the best class per frame, merges repeats and drops blanks (the best path, not
 * the best labelling); prefix beam search keeps the `beamWidth` most probable labellings, each
 * with its probability summed over the alignments that produce it, split into the part whose
 * last frame was a blank and the part whose last frame was its last label (a repeat of that
 * label merges into it only after a blank). No language model.
 */
import { ValueError, DTypeError, ShapeError } from '../tensor/errors.js';
import { isFloat } from '../tensor/dtype.js';
import { fmt } from '../tensor/shape.js';
import { noGrad } from '../tensor/grad-mode.js';
import { Tensor } from '../tensor/tensor.js';
import { logSoftmax } from '../ops/activations.js';
import { readLengths, type CtcLengths } from '../nn/ctc-inputs.js';

/** Options of `ctcDecode`. */
export interface CtcDecodeOptions {
  /** `'greedy'` (default) or `'beam'` (prefix beam search). */
  method?: 'greedy' | 'beam';
  /** Labellings kept per frame by beam search (default 10). */
  beamWidth?: number;
  /** The blank class id (default 0). */
  blank?: number;
  /** Each sequence's number of frames (default: every time step). */
  logitLengths?: CtcLengths;
}

/** One decoded sequence. */
export interface CtcDecoded {
  /** The label ids, blanks removed. */
  labels: number[];
  /**
   * Natural log of a probability: for beam search the labelling's (summed over the alignments
   * the search kept), for greedy the best path's.
   */
  score: number;
}

const NEG_INF = -Infinity;

function lse(a: number, b: number): number {
  if (a === NEG_INF) return b;
  if (b === NEG_INF) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** Best class per frame, repeats merged, blanks dropped; the score is the path's log-probability. */
function greedy(lp: Float64Array, base: number, T: number, C: number, blank: number): CtcDecoded {
  const labels: number[] = [];
  let score = 0;
  let prev = -1;
  for (let t = 0; t < T; t++) {
    const row = base + t * C;
    let best = 0;
    for (let c = 1; c < C; c++) if (lp[row + c]! > lp[row + best]!) best = c;
    score += lp[row + best]!;
    if (best !== blank && best !== prev) labels.push(best);
    prev = best;
  }
  return { labels, score };
}

/** A labelling in the beam: log-probability of its alignments ending in a blank (`pb`) or in its last label (`pnb`). */
interface Beam { labels: number[]; pb: number; pnb: number }

function beamSearch(lp: Float64Array, base: number, T: number, C: number, blank: number, width: number): CtcDecoded {
  let beams: Beam[] = [{ labels: [], pb: 0, pnb: NEG_INF }];
  for (let t = 0; t < T; t++) {
    const row = base + t * C;
    const next = new Map<string, Beam>();
    const at = (labels: number[]): Beam => {
      const key = labels.join(',');
      let b = next.get(key);
      if (!b) next.set(key, (b = { labels, pb: NEG_INF, pnb: NEG_INF }));
      return b;
    };
    for (const { labels, pb, pnb } of beams) {
      const total = lse(pb, pnb);
      const last = labels.length > 0 ? labels[labels.length - 1]! : -1;
      for (let c = 0; c < C; c++) {
        const p = lp[row + c]!;
        if (c === blank) {
          const same = at(labels);
          same.pb = lse(same.pb, total + p);
        } else if (c === last) {
          // the same label again: merges into this labelling, or after a blank starts a new one
          const same = at(labels);
          same.pnb = lse(same.pnb, pnb + p);
          const longer = at([...labels, c]);
          longer.pnb = lse(longer.pnb, pb + p);
        } else {
          const longer = at([...labels, c]);
          longer.pnb = lse(longer.pnb, total + p);
        }
      }
    }
    // stable sort: ties keep the order labellings were first reached in, so results are reproducible
    beams = [...next.values()].sort((a, b) => lse(b.pb, b.pnb) - lse(a.pb, a.pnb)).slice(0, width);
  }
  const best = beams[0]!;
  return { labels: best.labels, score: lse(best.pb, best.pnb) };
}

/**
 * Decodes CTC logits `[batch, time, classes]` (unnormalised; log-softmax is taken here) into one
 * label sequence per batch row: `'greedy'` (best path: argmax per frame, repeats merged, blanks
 * dropped) or `'beam'` (prefix beam search, which can find a labelling whose alignments together
 * outweigh the best path's). Frames at or beyond `logitLengths[b]` are ignored.
 *
 * @example
 * const [first] = nb.text.ctcDecode(logits, { method: 'beam', beamWidth: 8 });
 * first.labels // e.g. [3, 3, 5]; first.score: its log-probability
 */
export function ctcDecode(logits: Tensor, opts: CtcDecodeOptions = {}): CtcDecoded[] {
  const op = 'ctcDecode';
  if (!(logits instanceof Tensor)) throw new ValueError(`${op}: logits must be a Tensor [batch, time, classes], got ${logits === null ? 'null' : typeof logits}`);
  if (!isFloat(logits.dtype)) throw new DTypeError(`${op}: logits must be float32 or float64, got ${logits.dtype}`);
  if (logits.ndim !== 3) throw new ShapeError(`${op}: logits must be [batch, time, classes], got shape ${fmt(logits.shape)}; add a batch axis for one sequence (reshape to [1, time, classes])`);
  const [batch, time, classes] = logits.shape as [number, number, number];
  const method = opts.method ?? 'greedy';
  if (method !== 'greedy' && method !== 'beam') throw new ValueError(`${op}: method must be 'greedy' or 'beam', got ${JSON.stringify(method)}`);
  const width = opts.beamWidth ?? 10;
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1) throw new ValueError(`${op}: beamWidth must be a whole number ≥ 1, got ${String(width)}`);
  const blank = opts.blank ?? 0;
  if (typeof blank !== 'number' || !Number.isInteger(blank) || blank < 0 || blank >= classes) throw new ValueError(`${op}: blank must be a class id in [0, ${classes - 1}], got ${String(blank)}`);
  const lengths = opts.logitLengths === undefined ? new Int32Array(batch).fill(time) : readLengths(op, 'logitLengths', opts.logitLengths, batch, time, 'the time steps of the logits');
  const lp = Float64Array.from(noGrad(() => logSoftmax(logits, -1)).data());
  const out: CtcDecoded[] = [];
  for (let b = 0; b < batch; b++) {
    const base = b * time * classes;
    out.push(method === 'greedy' ? greedy(lp, base, lengths[b]!, classes, blank) : beamSearch(lp, base, lengths[b]!, classes, blank, width));
  }
  return out;
}
