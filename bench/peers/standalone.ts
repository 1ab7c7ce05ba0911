/**
 * The 'torch-standalone' contender (`npm run bench -- --standalone`): each timed sample is a fresh
 * Python process running bench/peers/standalone_torch.py, which sets up the workload the way a
 * user's own script would and times its calls itself. Measured in the same rounds as the suite's
 * long-lived PyTorch worker, it shows whether the worker measures PyTorch at its best.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Params, Runner } from '../harness.js';
import { PEER_COMMANDS } from './peers.js';

const SCRIPT = join(fileURLToPath(new URL('.', import.meta.url)), 'standalone_torch.py');

/** Runs the script once for `reps` timed calls of `workload` and answers their seconds. */
function runScript(workload: string, params: Params, reps: number): Promise<number> {
  const torch = PEER_COMMANDS.torch!;
  return new Promise((resolve, reject) => {
    const child = spawn(torch.command, [SCRIPT, workload, JSON.stringify(params), String(reps)], { env: { ...process.env, ...torch.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        const seconds = Number((JSON.parse(line) as { seconds: unknown }).seconds);
        if (code === 0 && Number.isFinite(seconds)) return resolve(seconds);
      } catch {
        // reported below with the script's stderr
      }
      reject(new Error(`standalone_torch.py ${workload} exited with code ${code}: ${err.trim().split('\n').slice(-3).join(' / ')}`));
    });
  });
}

/** A runner for one case: nothing is kept between rounds, every sample starts a fresh process. */
export function standaloneRunner(workload: string, params: Params): Runner {
  return { run: (reps) => runScript(workload, params, reps), close: async () => {} };
}
