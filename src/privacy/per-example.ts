/**
 * Per-example gradients for DP-SGD, computed from each layer's input and output gradient (as
 * Opacus' grad samplers do) rather than by a batch-1 loop over the whole model.
 *
 * While a {@link GradSampler} runs a forward pass, every layer that owns trainable weights (a
 * "unit") runs with its weights detached, keeps its input, and taps its output so that the
 * backward pass leaves the output's gradient there. After the backward pass:
 * - per-example squared gradient norms come from a rule per layer: Dense (‖xᵢ‖²‖gᵢ‖² for 2-D
 *   inputs, otherwise the smaller of the materialised Xᵢᵀ Gᵢ or the "ghost" Σ (XᵢXᵢᵀ)⊙(GᵢGᵢᵀ)),
 *   Conv1D/Conv2D (patches ᵀ × output gradient, one batched GEMM), Embedding (each example's rows
 *   summed by token id), Layer/RMS/GroupNormalization (Σ g·x̂ over the non-feature axes); any
 *   other unit (recurrent, attention, a custom layer) by a loop over the examples of that layer
 *   alone;
 * - the clipped sum Σᵢ cᵢ ∇ᵢ is linear in the output gradient, so it is the ordinary weight
 *   gradient of the unit with each example's output gradient scaled by cᵢ: one batched pass.
 * A layer that mixes the examples of a batch (BatchNormalization) has no per-example gradient and
 * is refused; so is a unit that draws random numbers inside itself (its recomputation would draw
 * others).
 */
import { ValueError } from '../tensor/errors.js';
import { isFloat } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { enableGrad, isGradEnabled, noGrad } from '../tensor/grad-mode.js';
import { ones, zeros } from '../tensor/creation.js';
import { add, mul } from '../ops/binary.js';
import { sum } from '../ops/reduce.js';
import { reshape, slice, transposeLast } from '../ops/movement.js';
import { matmul, linearMatmul } from '../ops/matmul.js';
import { im2col, slidingWindow, splitShape, toNHWC, windowParams } from '../ops/window.js';
import { denseData } from '../ops/primitives/alloc.js';
import { gradients } from '../autograd/functional.js';
import { customGrad } from '../autograd/custom-grad.js';
import { withTraining } from '../autograd/training-context.js';
import type { Layer } from '../nn/layer.js';
import { getMask, setMask } from '../nn/mask.js';
import { fusedActivationOf } from '../nn/activations.js';
import { Dense } from '../nn/layers/dense.js';
import { Conv1D, Conv2D } from '../nn/layers/conv.js';
import { Embedding } from '../nn/layers/embedding.js';
import { BatchNormalization } from '../nn/layers/batch-normalization.js';
import { LayerNormalization } from '../nn/layers/layer-normalization.js';
import { RMSNormalization } from '../nn/layers/rms-normalization.js';
import { GroupNormalization } from '../nn/layers/group-normalization.js';
import { resolveAxes } from '../nn/layers/normalization-axes.js';

/** Layers without weights that draw random numbers in training (a unit containing one cannot be recomputed faithfully). */
const RANDOM_LAYERS = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'AddNoise', 'SpecAugment', 'GaussianNoise',
  'RandomFlip', 'RandomCrop', 'RandomRotation', 'RandomTranslation', 'RandomZoom', 'RandomContrast', 'RandomBrightness']);

type Rule = 'dense' | 'conv' | 'embedding' | 'affine-norm' | 'generic';

/** One call of a unit in the forward pass: its input, and (after backward) its output's gradient. */
interface CallRecord {
  x: Tensor;
  training: boolean;
  gy: Tensor | null;
  leaf: Tensor | null;
  /** True when the tap sits before the activation (Dense, Conv): the recorded gradient is the pre-activation one. */
  preActivation: boolean;
  /** Conv: the input's patches `[B, positions, K]`, from the forward pass. */
  patches: Tensor | null;
}

interface Unit {
  layer: Layer;
  rule: Rule;
  /** The unit's trainable weights by path relative to the unit (`kernel`, `cell.kernel`, …). */
  params: [string, Tensor][];
  records: CallRecord[];
}

type CallFn = (inputs: Tensor, training?: boolean) => Tensor;

/** The BatchNormalization error, also used before training starts. */
function batchNormError(layer: Layer): ValueError {
  return new ValueError(
    `${layer.describe()} mixes the examples of a batch (it normalises with the batch's statistics), so an example's gradient is not its own ` +
      'and DP-SGD cannot bound it: use GroupNormalization (or LayerNormalization) instead, e.g. new nb.layers.GroupNormalization({ groups: 8 })',
  );
}

/** Throws for a layer tree that cannot be trained privately: BatchNormalization anywhere. */
export function checkPrivateLayers(model: Layer): void {
  for (const l of [model, ...model.namedLayers().map(([, s]) => s)]) {
    if (l instanceof BatchNormalization && l.trainable) throw batchNormError(l);
  }
}

/**
 * Throws for a unit that draws random numbers inside itself in training (a dropout rate of its
 * own or of a sublayer, or a random layer inside it): its recomputation would draw others.
 */
function refuseInnerRandomness(unit: Layer): void {
  for (const l of [unit, ...unit.namedLayers().map(([, s]) => s)]) {
    const rates = l as unknown as { dropout?: unknown; recurrentDropout?: unknown };
    const drops = [rates.dropout, rates.recurrentDropout].some((v) => typeof v === 'number' && v > 0) || (l !== unit && RANDOM_LAYERS.has(l.className));
    if (drops) {
      const where = l === unit ? 'has dropout inside it' : `draws random numbers inside itself in training (${l.describe()})`;
      throw new ValueError(`${unit.describe()} ${where}, which DP-SGD's per-example gradients cannot recompute: set its dropout to 0 and put a Dropout layer after it instead`);
    }
  }
}

function ruleOf(layer: Layer, params: [string, Tensor][]): Rule {
  const own = params.every(([p]) => !p.includes('.'));
  if (!own) return 'generic';
  if (layer.constructor === Dense) return 'dense';
  if ((layer.constructor === Conv1D || layer.constructor === Conv2D) && (layer as Conv2D).groups === 1 && (layer as Conv2D).window.dataFormat === 'channelsLast') return 'conv';
  if (layer.constructor === Embedding) return 'embedding';
  if (layer.constructor === LayerNormalization || layer.constructor === RMSNormalization || layer.constructor === GroupNormalization) return 'affine-norm';
  return 'generic';
}

/** The input `x` with `mask` (if any) kept. */
function withMaskOf(x: Tensor, mask: Tensor | null): Tensor {
  return mask === null ? x : setMask(x, mask);
}

/** Rows `i` of a record's input (with its mask's rows). */
function rowsOf(x: Tensor, i: number): Tensor {
  const m = getMask(x);
  const xi = slice(x, [[i, i + 1]]);
  return m === null ? xi : setMask(xi, slice(m, [[i, i + 1]]));
}

/** `c [B]` shaped to multiply a `[B, ...]` tensor. */
function perExample(c: Float64Array, like: Tensor): Tensor {
  const shape = [c.length, ...like.shape.slice(1).map(() => 1)];
  return reshape(new Tensor(Float64Array.from(c), [c.length]).cast(like.dtype), shape);
}

/**
 * Records the per-example gradient information of a model's units during `run`: install once
 * (`new GradSampler(model)`), then `run(() => forward-and-backward)`, then `clippedSum(...)`.
 * `remove()` restores the layers.
 */
export class GradSampler {
  private readonly installed = new Map<Layer, CallFn>();
  private units = new Map<Layer, Unit>();
  private active = false;
  private depth = 0;

  constructor(readonly model: Layer) {
    checkPrivateLayers(model);
  }

  /** Wraps `call` of every layer of the tree not yet wrapped (new sublayers appear on build). */
  private install(): void {
    for (const layer of [this.model, ...this.model.namedLayers().map(([, l]) => l)]) {
      if (this.installed.has(layer)) continue;
      const own = Object.prototype.hasOwnProperty.call(layer, 'call');
      const original = layer.call;
      this.installed.set(layer, own ? original : (null as unknown as CallFn));
      const sampler = this;
      (layer as { call: CallFn }).call = function (this: Layer, inputs: Tensor, training?: boolean): Tensor {
        return sampler.intercept(layer, original, inputs, training);
      };
    }
  }

  /** Restores every wrapped layer's own `call`. */
  remove(): void {
    for (const [layer, own] of this.installed) {
      if (own === null) delete (layer as { call?: CallFn }).call;
      else (layer as { call: CallFn }).call = own;
    }
    this.installed.clear();
  }

  /**
   * Runs `fn` (a forward pass and its backward) recording the units' inputs and output gradients.
   * The records replace those of the previous run.
   */
  run<T>(fn: () => T): T {
    this.start();
    try {
      return fn();
    } finally {
      this.stop();
    }
  }

  /** Starts recording (for a hand-written loop: forward and backward passes run between `start` and `clippedSum`). Clears earlier records. */
  start(): void {
    this.install();
    checkPrivateLayers(this.model);
    this.units = new Map();
    this.active = true;
  }

  /** Stops recording; the records stay until `clear` or the next `start`. */
  stop(): void {
    this.active = false;
    this.install();   // layers built meanwhile get wrapped for the next run
  }

  /** Drops the records (they hold the batch's inputs and gradients). */
  clear(): void {
    this.units = new Map();
    this.install();
  }

  /** The batch size of the recorded calls that got a gradient (0 when none). */
  recordedBatch(): number {
    for (const u of this.units.values()) for (const r of u.records) if (this.gradOf(r) !== null) return r.x.shape[0] ?? 0;
    return 0;
  }

  private intercept(layer: Layer, original: CallFn, inputs: Tensor, training?: boolean): Tensor {
    // only passes that can be differentiated are recorded (not evaluation under noGrad)
    if (!this.active || this.depth > 0 || !isGradEnabled()) return original.call(layer, inputs, training);
    const params = layer.namedParameters();
    const ownsWeights = params.some(([p]) => !p.includes('.'));
    if (!ownsWeights) return original.call(layer, inputs, training);
    let unit = this.units.get(layer);
    if (!unit) {
      if (training === true) refuseInnerRandomness(layer);
      unit = { layer, rule: ruleOf(layer, params), params, records: [] };
      this.units.set(layer, unit);
    }
    const rec: CallRecord = { x: withMaskOf(inputs.detach(), getMask(inputs)), training: training === true, gy: null, leaf: null, preActivation: false, patches: null };
    unit.records.push(rec);
    if (unit.rule === 'dense' || unit.rule === 'conv') {
      // the layer's own computation, written out so that the tap sits before the activation (the
      // backward pass then leaves the gradient the rule needs) and a conv's patches are kept
      rec.preActivation = true;
      const layer = unit.layer as Dense;
      const z = unit.rule === 'dense' ? this.denseLinear(unit, inputs, true) : this.convLinear(unit, inputs, rec, true);
      const zt = this.tap(z, rec);
      return fusedActivationOf(layer.activation) === 'linear' ? zt : layer.activation(zt);
    }
    const detached: Record<string, Tensor> = {};
    for (const [p, t] of params) detached[p] = t.detach();
    this.depth++;
    let y: Tensor;
    try {
      y = layer.withWeights(detached, () => original.call(layer, inputs, training));
    } finally {
      this.depth--;
    }
    if (!isFloat(y.dtype)) return y;
    return withMaskOf(this.tap(y, rec), getMask(y));
  }

  /** `y` unchanged, its gradient recorded in `rec` by the backward pass (a leaf when nothing before it needs a gradient). */
  private tap(y: Tensor, rec: CallRecord): Tensor {
    if (y.requiresGrad) {
      return customGrad((t: Tensor) => ({ value: t, grad: (dy: Tensor) => { rec.gy = rec.gy === null ? dy : add(rec.gy, dy); return dy; } }))(y);
    }
    const out = y.detach().requireGrad();
    rec.leaf = out;
    return out;
  }

  /** Dense's x·W + b (the weights detached when recording the forward pass). */
  private denseLinear(u: Unit, inputs: Tensor, detach: boolean): Tensor {
    const layer = u.layer as Dense;
    const w = detach ? layer.kernel.detach() : layer.kernel;
    const inDim = w.shape[0]!;
    if (inputs.shape[inputs.ndim - 1] !== inDim) return this.originalCall(layer).call(layer, inputs);   // the layer's own error
    const x = isFloat(inputs.dtype) ? inputs : inputs.cast(w.dtype);
    const z = linearMatmul(x, w);
    return layer.bias ? add(z, detach ? layer.bias.detach() : layer.bias) : z;
  }

  /** Conv1D/Conv2D as im2col patches times the kernel (as the conv op computes it), plus the bias; keeps the patches. */
  private convLinear(u: Unit, inputs: Tensor, rec: CallRecord | null, detach: boolean): Tensor {
    const layer = u.layer as Conv2D;
    const k = detach ? layer.kernel.detach() : layer.kernel;
    const rank = layer.rank;
    const win = layer.window;
    const x = isFloat(inputs.dtype) ? inputs : inputs.cast(k.dtype);
    if (x.ndim !== rank + 2) return this.originalCall(layer).call(layer, inputs);   // the layer's own error
    const opts = { strides: win.strides, padding: win.padding, dilation: win.dilationRate };
    const { spatial } = splitShape(x, 'channelsLast');
    const w = slidingWindow(layer.describe(), 'kernel', spatial, k.shape.slice(0, rank), opts);
    const params = windowParams(w);
    const b = x.shape[0]!, f = k.shape[k.ndim - 1]!, kk = k.size / f;
    const positions = params.grid[0] * params.grid[1];
    const patches = reshape(im2col(toNHWC(x, 'channelsLast'), params), [b, positions, kk]);
    if (rec) rec.patches = patches.detach();
    let z = matmul(reshape(patches, [b * positions, kk]), reshape(k, [kk, f]));
    if (layer.bias) z = add(z, detach ? layer.bias.detach() : layer.bias);
    return reshape(z, rank === 1 ? [b, params.grid[1], f] : [b, params.grid[0], params.grid[1], f]);
  }

  /** Calls a unit's own `call` (not the wrapper) with some of its weights replaced. */
  private callUnit(unit: Unit, x: Tensor, training: boolean, weights: Record<string, Tensor>, preActivation = false): Tensor {
    const original = this.originalCall(unit.layer);
    this.depth++;
    try {
      return unit.layer.withWeights(weights, () => withTraining(training, () => {
        // a Dense's or Conv's recorded gradient is the pre-activation one: recompute that part
        if (preActivation) return unit.rule === 'dense' ? this.denseLinear(unit, x, false) : this.convLinear(unit, x, null, false);
        return original.call(unit.layer, x, training);
      }));
    } finally {
      this.depth--;
    }
  }

  private originalCall(layer: Layer): CallFn {
    const own = this.installed.get(layer);
    if (own) return own;
    return Object.getPrototypeOf(layer).call as CallFn;
  }

  /**
   * After `run`: each example's gradient clipped to `maxGradNorm` and summed, by trained parameter
   * (every parameter the model trains has an entry, zeros where the batch left none), with the
   * per-example norms before clipping. `lossScale` multiplies the recorded output gradients first
   * (the batch size when the loss was a mean).
   */
  clippedSum(maxGradNorm: number, lossScale = 1): { sums: Map<Tensor, Tensor>; norms: Float64Array; batch: number } {
    const units = [...this.units.values()].filter((u) => u.records.some((r) => this.gradOf(r) !== null));
    let batch = -1;
    for (const u of units) {
      for (const r of u.records) {
        if (this.gradOf(r) === null) continue;
        const b = r.x.shape[0] ?? 0;
        if (batch === -1) batch = b;
        else if (b !== batch) throw new ValueError(`DP-SGD: ${u.layer.describe()} saw a batch of ${b} examples where others saw ${batch}; every layer with weights must see the whole batch, one example per row`);
      }
    }
    batch = Math.max(batch, 0);
    const sums = new Map<Tensor, Tensor>();
    for (const [, t] of this.model.namedParameters()) sums.set(t, zeros(t.shape, { dtype: t.dtype as 'float32' | 'float64' }));
    const norms = new Float64Array(batch);
    if (batch === 0) return { sums, norms, batch };
    const scaled = (r: CallRecord): Tensor | null => {
      const g = this.gradOf(r);
      return g === null ? null : lossScale === 1 ? g : mul(g, lossScale);
    };
    // pre-activation gradients and squared norms, unit by unit
    const prepared = units.map((u) => {
      const gys = u.records.map(scaled);
      return noGrad(() => this.normsOf(u, gys, norms));
    });
    const c = new Float64Array(batch);
    for (let i = 0; i < batch; i++) {
      norms[i] = Math.sqrt(norms[i]!);
      c[i] = Math.min(1, maxGradNorm / (norms[i]! + 1e-6));
    }
    units.forEach((u, k) => {
      const got = this.weightedSum(u, prepared[k]!, c);
      for (const [p, t] of u.params) {
        const g = got.get(p);
        if (g) sums.set(t, add(sums.get(t)!, g));
      }
    });
    return { sums, norms, batch };
  }

  private gradOf(r: CallRecord): Tensor | null {
    return r.gy ?? r.leaf?.grad ?? null;
  }

  /**
   * Adds each example's squared gradient norm for unit `u` to `normsSq`; returns what the
   * weighted sum needs (the pre-activation gradients of Dense and Conv, the scaled gradients).
   */
  private normsOf(u: Unit, gys: (Tensor | null)[], normsSq: Float64Array): Prepared {
    const single = u.records.length === 1 && gys[0] !== null;
    if (single && u.rule === 'dense') return this.denseNorms(u, u.records[0]!, gys[0]!, normsSq);
    if (single && u.rule === 'conv') return this.convNorms(u, u.records[0]!, gys[0]!, normsSq);
    // a Dense or Conv applied twice: the loop below, on the pre-activation part (callUnit)
    if (single && u.rule === 'embedding') return this.embeddingNorms(u, u.records[0]!, gys[0]!, normsSq);
    if (single && u.rule === 'affine-norm') return this.affineNorms(u, u.records[0]!, gys[0]!, normsSq);
    return this.genericNorms(u, gys, normsSq);
  }

  private denseNorms(u: Unit, r: CallRecord, gy: Tensor, normsSq: Float64Array): Prepared {
    const layer = u.layer as Dense;
    const w = layer.kernel;
    const x = isFloat(r.x.dtype) ? r.x : r.x.cast(w.dtype);
    const gz = gy;   // tapped before the activation
    const b = x.shape[0]!, inDim = w.shape[0]!, out = w.shape[1]!;
    const t = x.size / (b * inDim);
    const x3 = reshape(x, [b, t, inDim]), g3 = reshape(gz, [b, t, out]);
    let sq: Float32Array | Float64Array;
    if (t === 1) {
      const xn = denseData(sum(mul(x3, x3), [1, 2])), gn = denseData(sum(mul(g3, g3), [1, 2]));
      sq = new Float64Array(b);
      for (let i = 0; i < b; i++) sq[i] = xn[i]! * gn[i]! + (layer.bias ? gn[i]! : 0);
    } else {
      let wsq: Tensor;
      if (t * t < inDim * out) {
        const gram = mul(matmul(x3, transposeLast(x3)), matmul(g3, transposeLast(g3)));
        wsq = sum(gram, [1, 2]);
      } else {
        const pe = matmul(transposeLast(x3), g3);
        wsq = sum(mul(pe, pe), [1, 2]);
      }
      const bsq = layer.bias ? denseData(sum(mul(sum(g3, 1), sum(g3, 1)), 1)) : null;
      const ws = denseData(wsq);
      sq = new Float64Array(b);
      for (let i = 0; i < b; i++) sq[i] = ws[i]! + (bsq ? bsq[i]! : 0);
    }
    for (let i = 0; i < b; i++) normsSq[i] = normsSq[i]! + sq[i]!;
    return { kind: 'dense', x: reshape(x, [b * t, inDim]), gz: reshape(gz, [b * t, out]), rows: t };
  }

  private convNorms(u: Unit, r: CallRecord, gy: Tensor, normsSq: Float64Array): Prepared {
    const layer = u.layer as Conv2D;
    const k = layer.kernel;
    const gz = gy;   // tapped before the activation
    const patches = r.patches!;
    const b = r.x.shape[0]!, f = k.shape[k.ndim - 1]!, kk = k.size / f;
    const p = patches.shape[1]!;
    const pe = matmul(transposeLast(patches), reshape(gz, [b, p, f]));   // [B, K, F]
    const ws = denseData(sum(mul(pe, pe), [1, 2]));
    const gb = sum(reshape(gz, [b, p, f]), 1);
    const bs = layer.bias ? denseData(sum(mul(gb, gb), 1)) : null;
    for (let i = 0; i < b; i++) normsSq[i] = normsSq[i]! + ws[i]! + (bs ? bs[i]! : 0);
    return { kind: 'conv', pe, gb };
  }

  private embeddingNorms(u: Unit, r: CallRecord, gy: Tensor, normsSq: Float64Array): Prepared {
    const layer = u.layer as Embedding;
    const ids = denseData(r.x.cast('int32'));
    const g = denseData(gy);
    const b = r.x.shape[0]!, d = layer.embeddings.shape[1]!;
    const perRow = ids.length / b;
    for (let i = 0; i < b; i++) {
      const acc = new Map<number, Float64Array>();
      for (let t = 0; t < perRow; t++) {
        const id = ids[i * perRow + t]!;
        let a = acc.get(id);
        if (!a) acc.set(id, (a = new Float64Array(d)));
        const base = (i * perRow + t) * d;
        for (let j = 0; j < d; j++) a[j]! += g[base + j]!;
      }
      let s = 0;
      for (const a of acc.values()) for (let j = 0; j < d; j++) s += a[j]! * a[j]!;
      normsSq[i] = normsSq[i]! + s;
    }
    return { kind: 'embedding', ids, g, perRow, d };
  }

  /**
   * LayerNormalization, RMSNormalization, GroupNormalization: y = x̂·γ (+ β) with γ, β broadcast
   * over the axes that are not the feature axes. x̂ is the layer itself run with γ = 1, β = 0; an
   * example's gradient is Σ g·x̂ (γ) and Σ g (β) over its non-feature axes.
   */
  private affineNorms(u: Unit, r: CallRecord, gy: Tensor, normsSq: Float64Array): Prepared {
    const layer = u.layer as LayerNormalization & { axis: number | number[] };
    const x = r.x;
    const axes = layer instanceof GroupNormalization
      ? [(layer as unknown as { channelAxis(shape: readonly number[]): number }).channelAxis(x.shape)]
      : resolveAxes(layer.describe(), layer.axis, x.ndim);
    const reduce = x.shape.map((_, i) => i).filter((i) => i !== 0 && !axes.includes(i));
    const unit: Record<string, Tensor> = {};
    for (const [p, t] of u.params) unit[p] = p === 'beta' ? zeros(t.shape, { dtype: t.dtype as 'float32' | 'float64' }) : ones(t.shape, { dtype: t.dtype as 'float32' | 'float64' });
    const xhat = this.callUnit(u, x, r.training, unit);
    const b = x.shape[0]!;
    const pe = new Map<string, Tensor>();
    for (const [p, t] of u.params) {
      const per = p === 'beta' ? gy : mul(gy, xhat);
      pe.set(p, reshape(reduce.length > 0 ? sum(per, reduce) : per, [b, ...t.shape]));
    }
    for (const t of pe.values()) {
      const sq = denseData(sum(mul(t, t), t.shape.map((_, i) => i).slice(1)));
      for (let i = 0; i < b; i++) normsSq[i] = normsSq[i]! + sq[i]!;
    }
    return { kind: 'materialised', pe };
  }

  private genericNorms(u: Unit, gys: (Tensor | null)[], normsSq: Float64Array): Prepared {
    const b = u.records[gys.findIndex((g) => g !== null)]!.x.shape[0]!;
    for (let i = 0; i < b; i++) {
      const leaves: Record<string, Tensor> = {};
      for (const [p, t] of u.params) leaves[p] = t.detach().requireGrad();
      const grads = enableGrad(() => {
        let s: Tensor | null = null;
        u.records.forEach((r, k) => {
          const g = gys[k];
          if (!g) return;
          const yi = this.callUnit(u, rowsOf(r.x, i), r.training, leaves, r.preActivation);
          const term = sum(mul(yi, slice(g, [[i, i + 1]])));
          s = s === null ? term : add(s, term);
        });
        return s === null ? [] : gradients(s, Object.values(leaves), { allowUnused: true });
      });
      for (const g of grads) normsSq[i] = normsSq[i]! + sum(mul(g, g)).item();
    }
    return { kind: 'generic', gys };
  }

  /** Σᵢ cᵢ ∇ᵢ for unit `u`, by parameter path. */
  private weightedSum(u: Unit, prep: Prepared, c: Float64Array): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    if (prep.kind === 'dense') {
      return noGrad(() => {
        const cRows = new Float64Array(c.length * prep.rows);
        for (let i = 0; i < c.length; i++) cRows.fill(c[i]!, i * prep.rows, (i + 1) * prep.rows);
        const cg = mul(prep.gz, perExample(cRows, prep.gz));
        out.set('kernel', matmul(transposeLast(prep.x), cg));
        if ((u.layer as Dense).bias) out.set('bias', sum(cg, 0));
        return out;
      });
    }
    if (prep.kind === 'conv') {
      return noGrad(() => {
        const layer = u.layer as Conv2D;
        out.set('kernel', reshape(sum(mul(prep.pe, perExample(c, prep.pe)), 0), layer.kernel.shape));
        if (layer.bias) out.set('bias', sum(mul(prep.gb, perExample(c, prep.gb)), 0));
        return out;
      });
    }
    if (prep.kind === 'materialised') {
      return noGrad(() => {
        for (const [p, t] of prep.pe) out.set(p, sum(mul(t, perExample(c, t)), 0));
        return out;
      });
    }
    if (prep.kind === 'embedding') {
      const table = (u.layer as Embedding).embeddings;
      const acc = new Float64Array(table.size);
      const { ids, g, perRow, d } = prep;
      for (let i = 0; i < c.length; i++) {
        const ci = c[i]!;
        for (let t = 0; t < perRow; t++) {
          const id = ids[i * perRow + t]!, base = (i * perRow + t) * d;
          for (let j = 0; j < d; j++) acc[id * d + j]! += ci * g[base + j]!;
        }
      }
      const values = table.dtype === 'float64' ? acc : Float32Array.from(acc);
      out.set('embeddings', new Tensor(values, table.shape.slice()));
      return out;
    }
    // generic: the unit's weight gradient with each example's output gradient scaled by cᵢ
    const leaves: Record<string, Tensor> = {};
    for (const [p, t] of u.params) leaves[p] = t.detach().requireGrad();
    const grads = enableGrad(() => {
      let s: Tensor | null = null;
      u.records.forEach((r, k) => {
        const g = prep.gys[k];
        if (!g) return;
        const y = this.callUnit(u, r.x, r.training, leaves, r.preActivation);
        const term = sum(mul(y, mul(g, perExample(c, g))));
        s = s === null ? term : add(s, term);
      });
      return s === null ? null : gradients(s, Object.values(leaves), { allowUnused: true });
    });
    if (grads) u.params.forEach(([p], k) => out.set(p, grads[k]!.detach()));
    return out;
  }
}

type Prepared =
  | { kind: 'dense'; x: Tensor; gz: Tensor; rows: number }
  | { kind: 'conv'; pe: Tensor; gb: Tensor }
  | { kind: 'embedding'; ids: ArrayLike<number>; g: ArrayLike<number>; perRow: number; d: number }
  | { kind: 'materialised'; pe: Map<string, Tensor> }
  | { kind: 'generic'; gys: (Tensor | null)[] };
