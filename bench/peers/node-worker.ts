/**
 * The JSON-lines loop of the peers that run in Node (TensorFlow.js, onnxruntime-node): answers
 * process-peer.ts' hello, setup, run and drop on stdin/stdout. `load` starts the library and gives
 * its info and workload table; when it fails, every command answers with the reason.
 */
import { createInterface } from 'node:readline';
import type { Params } from '../harness.js';

/** A set-up workload's call, timed by `run`. */
export type Step = () => unknown;

/** A peer's workloads: set-up (data, model, warm-up) returning the call to time. */
export type WorkloadTable = Record<string, (p: Params) => Step | Promise<Step>>;

const out = (obj: unknown) => process.stdout.write(`${JSON.stringify(obj)}\n`);

/** Keeps stdout for the protocol: libraries that print go to stderr. */
export function quietConsole(): void {
  console.log = console.error;
  console.warn = console.error;
  console.info = console.error;
}

/** Serves commands until stdin closes. `hint` is added to a load failure (how to install the peer). */
export async function serve(load: () => Promise<{ info: Record<string, unknown>; table: WorkloadTable }>, hint: string): Promise<void> {
  let loaded: { info: Record<string, unknown>; table: WorkloadTable } | undefined;
  let loadError: string | undefined;
  try {
    loaded = await load();
  } catch (e) {
    loadError = (e as Error).message;
  }
  const steps = new Map<number, Step>();
  for await (const line of createInterface({ input: process.stdin })) {
    try {
      if (!loaded) throw new Error(`${loadError ?? 'not loaded'}; ${hint}`);
      const msg = JSON.parse(line) as { cmd: string; id?: number; workload?: string; params?: Params; reps?: number };
      if (msg.cmd === 'hello') {
        out({ ok: true, info: loaded.info });
      } else if (msg.cmd === 'setup') {
        const make = loaded.table[msg.workload ?? ''];
        if (!make) throw new Error(`this peer has no workload ${msg.workload}`);
        steps.set(msg.id!, await make(msg.params ?? {}));
        out({ ok: true });
      } else if (msg.cmd === 'run') {
        const step = steps.get(msg.id!);
        if (!step) throw new Error(`no set-up with id ${msg.id}`);
        const t0 = performance.now();
        for (let i = 0; i < (msg.reps ?? 1); i++) {
          const r = step();
          if (r instanceof Promise) await r;
        }
        out({ ok: true, seconds: (performance.now() - t0) / 1000 });
      } else if (msg.cmd === 'drop') {
        steps.delete(msg.id!);
        out({ ok: true });
      } else {
        throw new Error(`unknown command ${msg.cmd}`);
      }
    } catch (e) {
      out({ ok: false, error: (e as Error).message });
    }
  }
}
