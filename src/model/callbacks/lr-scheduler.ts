import type { Model } from '../model.js';
import type { Callback, Logs } from './callback.js';

/**
 * Sets the optimizer's learning rate at the start of each epoch from `schedule(epoch, currentLr)`.
 * It keeps no state of its own: a resumed `fit` restores the epoch and the current rate, so a
 * schedule that depends only on its arguments resumes exactly.
 *
 * @example
 * new LearningRateScheduler((epoch, lr) => (epoch < 5 ? lr : lr * 0.9))
 */
export class LearningRateScheduler implements Callback {
  private model: Model | null = null;

  constructor(private readonly schedule: (epoch: number, lr: number) => number) {
    if (typeof schedule !== 'function') throw new Error('LearningRateScheduler: schedule must be a function (epoch, lr) => newLr');
  }

  setModel(model: Model): void {
    this.model = model;
  }

  onEpochBegin(epoch: number): void {
    const opt = this.model?.optimizer;
    if (!opt) return;
    const lr = this.schedule(epoch, opt.learningRate);
    if (!Number.isFinite(lr) || lr < 0) throw new Error(`LearningRateScheduler: the schedule returned ${lr} at epoch ${epoch}; it must be a finite non-negative number`);
    opt.learningRate = lr;
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const opt = this.model?.optimizer;
    if (opt) logs.learning_rate = opt.learningRate;
  }
}
