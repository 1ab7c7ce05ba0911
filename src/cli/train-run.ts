/**
 * The files an unfinished `nabla train` run keeps under `OUT/checkpoint/`, so that `--resume`
 * continues it where it stopped:
 * - `state/`: fit's checkpoint (`checkpointDir`) of the last finished epoch: weights, optimizer
 *   slots and step, random-generator state, epoch;
 * - `run.json`: the run's settings and the history of its finished epochs;
 * - `best.safetensors`: the weights of the epoch with the best validation accuracy so far, with
 *   that epoch and value in the file's own metadata (so file and record cannot disagree).
 * Each file is replaced atomically; all are removed once the model is saved.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hasCheckpoint } from '../model/checkpoint.js';
import { writeFileAtomic } from '../formats/atomic.js';
import { loadSafetensors, saveSafetensors } from '../formats/safetensors.js';
import type { Callback, Logs } from '../model/callbacks/callback.js';
import type { Model } from '../model/model.js';
import { ValueError } from '../tensor/errors.js';
import { makeDirs } from '../formats/make-dirs.js';
import { FormatError } from '../formats/errors.js';
import { jsonTreeProblem } from '../formats/json-tree.js';

/** Everything that decides a `nabla train` run (mlp/cnn), as run.json keeps it. */
export interface RunSettings {
  model: string;
  data: string;
  dataDir: string | null;
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: string;
  lrSchedule: string;
  seed: number;
  limit: number | null;
  keepLast: boolean;
  /** Differential privacy (`--dp`): the settings of `compile({ privacy })`, or null. */
  dp?: { targetEpsilon: number | null; noiseMultiplier: number | null; delta: number; maxGradNorm: number } | null;
}

/** Per-epoch logs in the shape of `History.toJSON()` (what `nabla plot` reads). */
export interface HistoryJson {
  epoch: number[];
  history: Record<string, number[]>;
}

interface RunRecord {
  format: 'nabla-train-run';
  settings: RunSettings;
  history: HistoryJson;
}

/** The best epoch so far (counted from 0) and its validation accuracy. */
export interface BestEpoch {
  epoch: number;
  value: number;
}

/** The paths of a run's checkpoint files under `OUT/checkpoint`, and reading and writing them. */
export class RunFiles {
  readonly dir: string;
  /** fit's `checkpointDir`. */
  readonly state: string;
  readonly run: string;
  readonly best: string;

  constructor(out: string) {
    this.dir = join(out, 'checkpoint');
    this.state = join(this.dir, 'state');
    this.run = join(this.dir, 'run.json');
    this.best = join(this.dir, 'best.safetensors');
  }

  /** Whether an epoch of an interrupted run was saved. */
  hasCheckpoint(): boolean {
    return hasCheckpoint(this.state);
  }

  /** The settings and history of the interrupted run, or null when none was started here. */
  read(): { settings: RunSettings; history: HistoryJson } | null {
    if (!existsSync(this.run)) return null;
    let record: Partial<RunRecord>;
    try {
      record = JSON.parse(readFileSync(this.run, 'utf8')) as Partial<RunRecord>;
    } catch (e) {
      throw new ValueError(`train: ${this.run} is not valid JSON (${(e as Error).message}); remove ${this.dir} to start afresh`);
    }
    const problem = jsonTreeProblem(record);
    if (problem !== null) throw new FormatError(`train: ${this.run} ${problem}; remove ${this.dir} to start afresh`);
    const h = record.history;
    if (record.format !== 'nabla-train-run' || typeof record.settings !== 'object' || record.settings === null || !h || !Array.isArray(h.epoch) || typeof h.history !== 'object') {
      throw new ValueError(`train: ${this.run} is not the record of a nabla train run; remove ${this.dir} to start afresh`);
    }
    return { settings: record.settings, history: h };
  }

  /** Replaces run.json. */
  write(settings: RunSettings, history: HistoryJson): void {
    const record: RunRecord = { format: 'nabla-train-run', settings, history };
    makeDirs(this.dir, 'train');
    writeFileAtomic(this.run, JSON.stringify(record) + '\n');
  }

  /** The best epoch recorded in best.safetensors, or null when there is none. */
  readBest(): BestEpoch | null {
    if (!existsSync(this.best)) return null;
    const { metadata } = loadSafetensors(this.best);
    const epoch = Number(metadata['epoch']);
    const value = Number(metadata['val_accuracy']);
    if (!Number.isInteger(epoch) || !Number.isFinite(value)) throw new ValueError(`train: ${this.best} does not say which epoch it holds; remove ${this.dir} to start afresh`);
    return { epoch, value };
  }

  /** Saves the model's weights as the best epoch's. */
  writeBest(model: Model, best: BestEpoch): void {
    saveSafetensors(this.best, model.stateDict(), { format: 'nabla', epoch: String(best.epoch), val_accuracy: String(best.value) });
  }

  /**
   * Removes the checkpoint directory (the run finished and its model is saved, or a new run
   * starts). Refuses when it holds files nabla did not write, rather than deleting them.
   */
  remove(): void {
    if (!existsSync(this.dir)) return;
    // ours: state/, run.json, best.safetensors, and the temporary siblings of their atomic writes
    const ours = /^(state(\.(tmp|old)-.*)?|run\.json|best\.safetensors|\.(run\.json|best\.safetensors)\..*\.tmp)$/;
    const foreign = readdirSync(this.dir).filter((name) => !ours.test(name));
    if (foreign.length > 0) throw new ValueError(`train: ${this.dir} holds files nabla did not write (${foreign.join(', ')}); move them away or choose another --out`);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A fit callback that keeps run.json up to date at the end of every epoch (before fit saves its
 * checkpoint of that epoch) and, unless `keepLast`, best.safetensors whenever the validation
 * accuracy improves. On a resumed run the history is cut at the epoch fit resumes from: an epoch
 * recorded after the last checkpoint (killed between the two saves) is trained again.
 */
export class RecordRun implements Callback {
  private model: Model | null = null;
  private started = false;
  /** The epoch this process started at (set by the first epoch), or null before. */
  firstEpoch: number | null = null;

  constructor(
    private readonly files: RunFiles,
    private readonly settings: RunSettings,
    readonly history: HistoryJson,
    public best: BestEpoch | null,
    private readonly onResume: (epoch: number) => void = () => undefined,
  ) {}

  setModel(model: Model): void {
    this.model = model;
  }

  onEpochBegin(epoch: number): void {
    if (this.started) return;
    this.started = true;
    this.firstEpoch = epoch;
    this.cutAt(epoch);
    if (epoch > 0) this.onResume(epoch);
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.history.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history.history[k] ??= []).push(v);
    if (!this.settings.keepLast && this.model) {
      const value = logs['val_accuracy'];
      if (value === undefined) throw new ValueError(`train: no val_accuracy in the logs of epoch ${epoch + 1}`);
      if (this.best === null || value > this.best.value) {
        this.best = { epoch, value };
        this.files.writeBest(this.model, this.best);
      }
    }
    this.files.write(this.settings, this.history);
  }

  /** Keeps only the epochs before `epoch`. */
  cutAt(epoch: number): void {
    const keep = this.history.epoch.map((e, i) => (e < epoch ? i : -1)).filter((i) => i >= 0);
    const epochs = keep.map((i) => this.history.epoch[i]!);
    this.history.epoch.splice(0, this.history.epoch.length, ...epochs);
    for (const [k, values] of Object.entries(this.history.history)) this.history.history[k] = keep.map((i) => values[i]!);
  }
}
