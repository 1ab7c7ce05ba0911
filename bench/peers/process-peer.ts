/**
 * A peer running in a child process (a Python worker, or Node for TensorFlow.js) that speaks one
 * JSON object per line on stdin/stdout:
 *   → {"cmd": "hello"}                                  ← {"ok": true, "info": {...}}
 *   → {"cmd": "setup", "id": 3, "workload": "sgemm", "params": {...}}   ← {"ok": true}
 *   → {"cmd": "run", "id": 3, "reps": 10}               ← {"ok": true, "seconds": 0.42}
 *   → {"cmd": "drop", "id": 3}                          ← {"ok": true}
 * and {"ok": false, "error": "..."} for any failure. The worker times `reps` calls itself, so no
 * pipe latency enters a measurement.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Params, Runner } from '../harness.js';

/** How to start a peer's worker. */
export interface PeerCommand {
  command: string;
  args: string[];
  /** Added to this process's environment. */
  env?: Record<string, string>;
}

type Reply = { ok: true; [key: string]: unknown } | { ok: false; error: string };

/** What the worker reports about itself: versions, the BLAS library it loaded, threads. */
export type PeerInfo = Record<string, unknown>;

/** A started worker; `request` sends one command and waits for its answer line. */
export class ProcessPeer {
  private waiting: ((line: string | Error) => void) | undefined;
  private stderr: string[] = [];
  private exited: Error | undefined;
  private nextId = 0;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const w = this.waiting;
      this.waiting = undefined;
      w?.(line);
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > 30) this.stderr.shift();
    });
    const fail = (e: Error) => {
      this.exited = e;
      const w = this.waiting;
      this.waiting = undefined;
      w?.(e);
    };
    child.on('error', (e) => fail(e));
    child.on('close', (code, signal) => fail(new Error(`worker exited (${signal ?? `code ${code}`})${this.stderrTail()}`)));
  }

  /** Starts the worker and asks for its info; a reason instead when it cannot start or its imports fail. */
  static async start(cmd: PeerCommand): Promise<{ peer: ProcessPeer; info: PeerInfo } | { reason: string }> {
    const child = spawn(cmd.command, cmd.args, { env: { ...process.env, ...cmd.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const peer = new ProcessPeer(child);
    try {
      const info = await peer.request({ cmd: 'hello' }, 120_000);
      return { peer, info: (info['info'] ?? {}) as PeerInfo };
    } catch (e) {
      peer.close();
      return { reason: (e as Error).message };
    }
  }

  private stderrTail(): string {
    const tail = this.stderr.filter((l) => l.trim() !== '').slice(-3).join(' / ');
    return tail ? `: ${tail}` : '';
  }

  /** Sends one command; resolves with the reply, rejects with the worker's error or exit. */
  request(msg: Record<string, unknown>, timeoutMs = 900_000): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new Error(`no answer to ${String(msg['cmd'])} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        if (line instanceof Error) return reject(line);
        let reply: Reply;
        try {
          reply = JSON.parse(line) as Reply;
        } catch {
          return reject(new Error(`worker printed a line that is not JSON: ${line.slice(0, 200)}`));
        }
        if (reply.ok) resolve(reply);
        else reject(new Error(reply.error));
      };
      this.child.stdin.write(`${JSON.stringify(msg)}\n`);
    });
  }

  /** Sets up `workload` with `params` in the worker and returns a runner for it. */
  async setup(workload: string, params: Params): Promise<Runner> {
    const id = this.nextId++;
    await this.request({ cmd: 'setup', id, workload, params });
    return {
      run: async (reps) => {
        const r = await this.request({ cmd: 'run', id, reps });
        return Number(r['seconds']);
      },
      close: async () => {
        await this.request({ cmd: 'drop', id }).catch(() => undefined);
      },
    };
  }

  /** Ends the worker. */
  close(): void {
    this.child.stdin.end();
    if (!this.exited) this.child.kill();
  }
}
