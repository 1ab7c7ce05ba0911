/**
 * Activations by name, as `keras.activations`: layers accept `activation: 'relu'` or a function.
 * Names match case-insensitively and with or without underscores (`'leaky_relu'` = `'leakyRelu'`).
 */
import type { FusedActivation } from '../backend/fused-kernels.js';
import { ValueError } from '../tensor/errors.js';
import { Registry } from '../tensor/registry.js';
import type { Tensor } from '../tensor/tensor.js';
import { elu as eluOp, gelu as geluOp, leakyRelu as leakyReluOp, silu as siluOp, softmax as softmaxOp, softplus as softplusOp } from '../ops/activations.js';
import { relu as reluOp, sigmoid as sigmoidOp, tanh as tanhOp } from '../ops/unary.js';

/** An activation: a tensor in, a tensor of the same shape out. */
export type ActivationFn = (x: Tensor) => Tensor;

/** max(x, 0). */
export const relu: ActivationFn = (x) => reluOp(x);
/** x for x > 0, 0.2·x otherwise (Keras' default slope). */
export const leakyRelu: ActivationFn = (x) => leakyReluOp(x);
/** x for x > 0, eˣ − 1 otherwise. */
export const elu: ActivationFn = (x) => eluOp(x);
/** Exact GELU: x·Φ(x). */
export const gelu: ActivationFn = (x) => geluOp(x);
/** 1 / (1 + e⁻ˣ). */
export const sigmoid: ActivationFn = (x) => sigmoidOp(x);
/** Hyperbolic tangent. */
export const tanh: ActivationFn = (x) => tanhOp(x);
const softmaxLogits = new WeakMap<Tensor, Tensor>();

/** Softmax over the last axis. Its output remembers its input (see `softmaxLogitsOf`). */
export const softmax: ActivationFn = (x) => {
  const y = softmaxOp(x, -1);
  softmaxLogits.set(y, x);
  return y;
};

/**
 * The logits an output of the `softmax` activation was computed from (Keras' `_keras_logits`):
 * the cross-entropy losses use them instead of the probabilities, exact and cheaper.
 */
export function softmaxLogitsOf(probs: Tensor): Tensor | undefined {
  return softmaxLogits.get(probs);
}

/**
 * The fused form (`biasActivation`) of an activation, or null when it has none: the registered
 * `relu`, `sigmoid`, `tanh`, `gelu` (exact) and `linear`.
 */
export function fusedActivationOf(fn: ActivationFn): FusedActivation | null {
  return fn === relu ? 'relu' : fn === sigmoid ? 'sigmoid' : fn === tanh ? 'tanh' : fn === gelu ? 'gelu' : fn === linear ? 'linear' : null;
}
/** log(1 + eˣ). */
export const softplus: ActivationFn = (x) => softplusOp(x);
/** x·σ(x). */
export const silu: ActivationFn = (x) => siluOp(x);
/** Same as `silu` (the name Keras also uses). */
export const swish: ActivationFn = silu;
/** The identity: no activation. */
export const linear: ActivationFn = (x) => x;

const registry = new Registry<ActivationFn>({ kind: 'activation' });

/**
 * Makes a custom activation available by name, so that layers using it can be saved and rebuilt
 * from their config.
 *
 * @example
 * nn.registerActivation('square', (x) => x.mul(x));
 * new Dense(8, { activation: 'square' });
 */
export function registerActivation(name: string, fn: ActivationFn): void {
  if (typeof fn !== 'function') throw new ValueError(`registerActivation: '${name}' must be given a function`);
  registry.register(name, fn);
}

for (const [name, fn] of Object.entries({ relu, leakyRelu, elu, gelu, sigmoid, tanh, softmax, softplus, silu, swish, linear })) {
  registerActivation(name, fn);
}

/** The names `getActivation` accepts. */
export function activationNames(): string[] {
  return registry.names();
}

/**
 * The activation for a name or a function; `null`/`undefined` give `linear`.
 *
 * @example
 * nn.getActivation('relu')(x)
 */
export function getActivation(nameOrFn: string | ActivationFn | null | undefined): ActivationFn {
  if (nameOrFn === null || nameOrFn === undefined) return linear;
  if (typeof nameOrFn === 'function') return nameOrFn;
  if (typeof nameOrFn !== 'string') {
    throw new ValueError(`getActivation: expected a name or a function, got ${typeof nameOrFn}`);
  }
  return registry.get(nameOrFn);
}

/**
 * The registered name of an activation (for configs), or null for an unregistered function.
 * `swish` reports `'silu'`, its canonical name.
 */
export function activationName(fn: ActivationFn): string | null {
  return registry.nameOf(fn) ?? null;
}

/**
 * The name to store in a layer config for `fn`. A custom function must be registered first
 * (`registerActivation`), else the layer could not be rebuilt from its config.
 */
export function serializeActivation(fn: ActivationFn, owner: string): string {
  const name = activationName(fn);
  if (name === null) {
    throw new ValueError(`${owner}: getConfig cannot name its custom activation function; register it with registerActivation('myName', fn) and pass its name`);
  }
  return name;
}
