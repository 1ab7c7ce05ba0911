/**
 * The loss-threshold membership-inference attack (Yeom et al. 2018, "Privacy Risk in Machine
 * Learning"): an example whose loss is below a threshold is guessed to be a training example.
 * Its AUC over all thresholds says how well a model's losses tell its training data from other
 * data drawn alike: 0.5 is no better than a coin, 1 gives every member away.
 */
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../tensor/grad-mode.js';
import { denseData } from '../ops/primitives/alloc.js';
import type { LossFn } from '../nn/loss-registry.js';

type PerExampleLoss = LossFn;

/** What the attack needs of a model: predictions, and the compiled loss unless one is given. */
export interface AttackedModel {
  predict(x: Tensor, opts?: { batchSize?: number }): Tensor;
  loss: PerExampleLoss | null;
}

/** Options of {@link membershipInference}. */
export interface MembershipOptions {
  /** The per-example loss (default: the model's compiled loss). */
  loss?: PerExampleLoss;
  batchSize?: number;
}

/** What {@link membershipInference} returns. */
export interface MembershipResult {
  /** Area under the ROC curve of the attack (0.5: nothing learned about membership). */
  auc: number;
  /** The best true-positive rate minus false-positive rate over thresholds (Yeom et al.'s membership advantage). */
  advantage: number;
  /** Mean loss on members and on non-members. */
  memberLoss: number;
  nonMemberLoss: number;
}

function lossesOf(model: AttackedModel, [x, y]: readonly [Tensor, Tensor], loss: PerExampleLoss, batchSize: number, which: string): Float64Array {
  if (!(x instanceof Tensor) || !(y instanceof Tensor) || x.shape[0] !== y.shape[0] || (x.shape[0] ?? 0) === 0) {
    throw new ValueError(`membershipInference: ${which} must be [x, y] tensors with the same number (≥ 1) of examples`);
  }
  return noGrad(() => {
    const per = loss(y, model.predict(x, { batchSize }), { reduction: 'none' });
    const v = denseData(per);
    const n = x.shape[0]!;
    if (v.length % n !== 0) throw new ValueError(`membershipInference: the loss gave ${v.length} values for ${n} examples; it must give one (or one row) per example`);
    const k = v.length / n;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += v[i * k + j]!;
      out[i] = s / k;
    }
    return out;
  });
}

/**
 * Runs the loss-threshold attack on a trained model with examples it was trained on (`members`)
 * and examples from the same distribution it never saw (`nonMembers`), each `[x, y]`. The AUC is
 * the chance that a random member has a lower loss than a random non-member (ties count half).
 *
 * @example
 * const { auc } = nb.privacy.membershipInference(model, [xTrain, yTrain], [xTest, yTest]);
 */
export function membershipInference(model: AttackedModel, members: readonly [Tensor, Tensor], nonMembers: readonly [Tensor, Tensor], opts: MembershipOptions = {}): MembershipResult {
  const loss = opts.loss ?? model.loss;
  if (!loss) throw new ValueError('membershipInference: the model has no compiled loss; compile it or pass { loss }');
  const batchSize = opts.batchSize ?? 256;
  const a = lossesOf(model, members, loss, batchSize, 'members');
  const b = lossesOf(model, nonMembers, loss, batchSize, 'nonMembers');
  // rank statistic: sort all losses, count member/non-member orderings by sweeping
  const all = [...Array.from(a, (v) => [v, 1] as const), ...Array.from(b, (v) => [v, 0] as const)].sort((p, q) => p[0] - q[0]);
  let wins = 0, nonSeen = 0, best = 0, tp = 0, fp = 0;
  for (let i = 0; i < all.length;) {
    let j = i, m = 0, nm = 0;
    while (j < all.length && all[j]![0] === all[i]![0]) {
      if (all[j]![1] === 1) m++; else nm++;
      j++;
    }
    // members in this tie group beat every non-member above (higher loss), tie half with this group's
    wins += m * (b.length - nonSeen - nm) + 0.5 * m * nm;
    nonSeen += nm;
    tp += m;
    fp += nm;
    best = Math.max(best, tp / a.length - fp / b.length);
    i = j;
  }
  const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;
  return { auc: wins / (a.length * b.length), advantage: best, memberLoss: mean(a), nonMemberLoss: mean(b) };
}
