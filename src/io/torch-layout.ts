/**
 * How each weight of a nabla model is named and laid out in the equivalent PyTorch module's state
 * dict. Used by `fromTorchStateDict` / `toTorchStateDict` (torch.ts).
 *
 * Names: a weight `kernel` or `embeddings` is PyTorch's `weight`; normalization `gamma`/`beta`
 * are `weight`/`bias`; BatchNorm's `movingMean`/`movingVariance` are `running_mean`/`running_var`;
 * other weights keep their name. Module paths are nabla's layer paths without the `layers.`
 * of a Sequential (a nabla `Sequential` holds its layers in `layers`; `nn.Sequential` numbers them
 * directly): `layers.0.kernel` ↔ `0.weight`, `encoder.layers.2.bias` ↔ `encoder.2.bias`.
 *
 * Layouts: a kernel of rank r ≥ 2 is PyTorch's `[out, in, ...spatial]` stored as nabla's
 * channels-last `[...spatial, in, out]` (Linear `[out, in]` → Dense `[in, out]`, Conv2d
 * `[out, in, kh, kw]` → `[kh, kw, in, out]`; ConvTranspose2d's `[in, out, kh, kw]` → `[kh, kw, out,
 * in]` by the same permutation, as Keras lays it out). A Dense that reads a Flatten of channels-last
 * conv features `[N, ...spatial, C]` sees them in (spatial, C) order where PyTorch's flatten of
 * `[N, C, ...spatial]` gives (C, spatial): its kernel's rows are reordered to match.
 */
import { noGrad } from '../tensor/grad-mode.js';
import type { Layer } from '../nn/layer.js';
import { contiguous, permute, reshape } from '../ops/movement.js';
import type { Tensor } from '../tensor/tensor.js';

/** One weight of the nabla model, with its PyTorch name and layout. */
export interface TorchSlot {
  /** The nabla state-dict key (`layers.0.kernel`). */
  nablaKey: string;
  /** The PyTorch module path (`0`, `fc1`, `encoder.2`; '' for the root). */
  torchModule: string;
  /** The PyTorch parameter or buffer name (`weight`, `running_mean`). */
  torchParam: string;
  /** `torchModule.torchParam`. */
  torchKey: string;
  /** The nabla layer owning the weight, for messages. */
  layer: Layer;
  /** The shape the tensor has in the PyTorch state dict. */
  torchShape: number[];
  /** PyTorch layout → nabla layout (a fresh contiguous tensor). */
  fromTorch(t: Tensor): Tensor;
  /** nabla layout → PyTorch layout (a fresh contiguous tensor). */
  toTorch(t: Tensor): Tensor;
}

/** The weights of one layer (in the order the layer made them). */
export interface TorchGroup {
  layerPath: string;
  torchModule: string;
  layer: Layer;
  slots: TorchSlot[];
}

const TORCH_NAME: Readonly<Record<string, string>> = {
  kernel: 'weight',
  embeddings: 'weight',
  gamma: 'weight',
  beta: 'bias',
  bias: 'bias',
  movingMean: 'running_mean',
  movingVariance: 'running_var',
};

/**
 * The layers with weights of `model` (itself first, then its sublayers, parents before children,
 * as PyTorch orders a state dict), each with its weights' PyTorch names and layouts.
 * `channelsFirstFlatten` overrides the detection of Flatten-after-conv (see the file comment).
 */
export function torchGroups(model: Layer, channelsFirstFlatten?: boolean): TorchGroup[] {
  const layers: [string, Layer][] = [['', model], ...model.namedLayers()];
  const byPath = new Map(layers);
  const flattened = flattenedDenses(layers, channelsFirstFlatten);
  const groups: TorchGroup[] = [];
  for (const [path, layer] of layers) {
    const own = layer.namedWeights().filter(([name]) => !name.includes('.'));
    if (own.length === 0) continue;
    const torchModule = torchModulePath(path, byPath);
    const used = new Set<string>();
    const slots = own.map(([name, w]): TorchSlot => {
      // own keys only: an imported weight may be named 'constructor'
      let torchParam = (Object.hasOwn(TORCH_NAME, name) ? TORCH_NAME[name] : undefined) ?? name;
      // two weights of one layer may not share a PyTorch name; the second keeps its own
      if (used.has(torchParam)) torchParam = name;
      used.add(torchParam);
      const nablaKey = path === '' ? name : `${path}.${name}`;
      const torchKey = torchModule === '' ? torchParam : `${torchModule}.${torchParam}`;
      const layout = name === 'kernel' && w.ndim >= 2 ? kernelLayout(w.shape, flattened.get(layer)) : identityLayout(w.shape);
      return { nablaKey, torchModule, torchParam, torchKey, layer, ...layout };
    });
    groups.push({ layerPath: path, torchModule, layer, slots });
  }
  return groups;
}

/** The module path PyTorch would use: nabla's path without the `layers` of each Sequential. */
function torchModulePath(path: string, byPath: Map<string, Layer>): string {
  if (path === '') return '';
  const parts = path.split('.');
  const out: string[] = [];
  parts.forEach((part, i) => {
    const owner = byPath.get(parts.slice(0, i).join('.'));
    const isSequentialList = part === 'layers' && owner?.className === 'Sequential' && /^\d+$/.test(parts[i + 1] ?? '');
    if (!isSequentialList) out.push(part);
  });
  return out.join('.');
}

type Layout = Pick<TorchSlot, 'torchShape' | 'fromTorch' | 'toTorch'>;

function identityLayout(shape: readonly number[]): Layout {
  const copy = (t: Tensor) => noGrad(() => contiguous(t).detach());
  return { torchShape: shape.slice(), fromTorch: copy, toTorch: copy };
}

/**
 * nabla `[...spatial, in, out]` ↔ PyTorch `[out, in, ...spatial]`. With `flat` (a Dense reading
 * flattened `[...spatial, C]` features), the Dense kernel `[P·C, out]` is handled as the kernel
 * `[...spatial, C, out]` of a convolution, and its PyTorch form `[out, C·P]` as `[out, C, ...spatial]`.
 */
function kernelLayout(shape: readonly number[], info: FlattenInfo | undefined): Layout {
  const flat = shape.length === 2 && info && info.spatial.reduce((a, b) => a * b, info.channels) === shape[0] ? info : undefined;
  const nablaShape = flat ? [...flat.spatial, flat.channels, shape[1]!] : shape.slice();
  const r = nablaShape.length;
  const spatialAxes = Array.from({ length: r - 2 }, (_, i) => i);
  // nabla axes → PyTorch axes: [out, in, ...spatial]
  const toTorchPerm = [r - 1, r - 2, ...spatialAxes];
  // PyTorch axes → nabla axes: [...spatial, in, out]
  const fromTorchPerm = [...spatialAxes.map((a) => a + 2), 1, 0];
  const torchFull = toTorchPerm.map((a) => nablaShape[a]!);
  const torchShape = flat ? [shape[1]!, shape[0]!] : torchFull;
  return {
    torchShape,
    fromTorch: (t) => noGrad(() => reshape(contiguous(permute(reshape(t, torchFull), fromTorchPerm)), shape).detach()),
    toTorch: (t) => noGrad(() => reshape(contiguous(permute(reshape(t, nablaShape), toTorchPerm)), torchShape).detach()),
  };
}

interface FlattenInfo {
  spatial: number[];
  channels: number;
}

/**
 * The Dense layers that read a Flatten of channels-last conv features, in every Sequential of the
 * model: the first layer with weights after a Flatten whose last input was `[N, ...spatial, C]`
 * and that comes after a convolution or pooling layer (or after any layer, when `force` is true).
 */
function flattenedDenses(layers: [string, Layer][], force: boolean | undefined): Map<Layer, FlattenInfo> {
  const out = new Map<Layer, FlattenInfo>();
  if (force === false) return out;
  for (const [, seq] of layers) {
    const list = (seq as unknown as { layers?: unknown }).layers;
    if (seq.className !== 'Sequential' || !Array.isArray(list)) continue;
    let sawConv = false;
    let pending: FlattenInfo | null = null;
    for (const l of list as Layer[]) {
      if (/Conv|Pool/.test(l.className)) sawConv = true;
      if (l.className === 'Flatten') {
        const s = l.lastInputShape;
        pending = s !== null && s.length >= 3 && (sawConv || force === true) ? { spatial: s.slice(1, -1), channels: s[s.length - 1]! } : null;
        continue;
      }
      if (l.namedWeights().length === 0) continue;
      if (pending && l.className === 'Dense') out.set(l, pending);
      pending = null;
    }
  }
  return out;
}
