/**
 * The optimizer as model.json keeps it: its config (name, learning rate or schedule config,
 * hyperparameters), so that a model compiled with `new nb.optim.SGD({ learningRate: 0.1,
 * momentum: 0.9 })` reloads with that optimizer, not silently with a default one.
 */
import { getOptimizer, optimizerFromConfig, type AnyOptimizerOptions } from '../optim/index.js';
import type { Optimizer, OptimizerConfig } from '../optim/optimizer.js';
import { ValueError } from '../tensor/errors.js';
import { warn } from '../tensor/warn.js';

/** What `compile.optimizer` holds in model.json: a name (files from before configs) or a config. */
export type SavedOptimizer = string | OptimizerConfig;

const isCustomRate = (lr: OptimizerConfig['learningRate']): boolean => typeof lr === 'object' && lr !== null && 'kind' in lr && lr.kind === 'custom';

/** The config to save for `optimizer`; warns when its learning rate is a function, which JSON cannot hold. */
export function savedOptimizerOf(optimizer: Optimizer | null): SavedOptimizer | undefined {
  if (optimizer === null) return undefined;
  const config = optimizer.getConfig();
  if (isCustomRate(config.learningRate)) {
    warn(
      `save: the optimizer's learning rate is a plain function, which model.json cannot hold; the model will ` +
        `reload with ${config.name}'s default learning rate. Use a schedule of nb.optim (cosineDecay, ` +
        'exponentialDecay, warmupCosine, …) to have it saved, or set optimizer.learningRate again after loading.',
    );
  }
  return config;
}

/** The optimizer to compile a loaded model with, from what model.json holds (`path` names the file in errors). */
export function restoreOptimizer(saved: unknown, path: string): string | Optimizer | undefined {
  if (saved === undefined || saved === null || typeof saved === 'string') return saved ?? undefined;
  if (typeof saved !== 'object' || Array.isArray(saved) || typeof (saved as { name?: unknown }).name !== 'string') {
    throw new ValueError(`${path}: compile.optimizer must be an optimizer name or config ({ name, learningRate, … }), got ${JSON.stringify(saved)}`);
  }
  const config = saved as OptimizerConfig;
  if (!isCustomRate(config.learningRate)) return optimizerFromConfig(config);
  const { name, learningRate: _custom, ...rest } = config;
  // fromEntries, not assignment: a key '__proto__' from the file must stay a key
  const opts = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null));
  return getOptimizer(name, opts as AnyOptimizerOptions);
}
