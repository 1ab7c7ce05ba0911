/** The messages between the fuzz parent (pool.ts) and its workers (child.ts). */
import type { CaseResult } from './case.js';

/** Parent → worker: run one case. */
export type ParentMessage = { type: 'case'; format: string; seed: number; index: number };

/** Worker → parent. */
export type ChildMessage =
  /** Started, seeds checked: ready for cases. */
  | { type: 'ready' }
  /** Could not start (a seed does not load, a module is missing). */
  | { type: 'failed'; message: string }
  /** The case's files are made: its load starts now (the time limit counts from here). */
  | { type: 'loading' }
  /** The case sent last is done. */
  | ({ type: 'result' } & CaseResult)
  /** An error escaped outside any case's code path; the worker exits after sending this. */
  | { type: 'crash'; error: string; message: string; stack: string };
