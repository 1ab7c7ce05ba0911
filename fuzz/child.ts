/**
 * A long-lived fuzz worker (started by pool.ts with an IPC channel): it loads the formats, checks
 * that every seed loads unchanged (which also runs nabla's lazy set-up before the global objects
 * are recorded), then runs the cases the parent sends, one at a time, and answers each.
 *
 * Arguments: SEEDS_DIR CASE_DIR FORMATS_JSON [EXTRA_MODULE…], where FORMATS_JSON lists the
 * formats of this run whose seeds are checked at start.
 */
import { checkSeeds, runCase, type CaseContext } from './case.js';
import type { FuzzFormat } from './format.js';
import { FORMATS } from './formats/index.js';
import { snapshotGlobals } from './globals.js';
import { frameworkErrorClasses } from './outcome.js';
import type { ChildMessage, ParentMessage } from './protocol.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

async function main(): Promise<void> {
  const [seedsDir, caseDir, checked, ...extras] = process.argv.slice(2);
  if (seedsDir === undefined || caseDir === undefined || checked === undefined || !process.send) {
    throw new Error('fuzz child: run by fuzz/pool.ts (SEEDS_DIR CASE_DIR FORMATS_JSON [EXTRA_MODULE…], with an IPC channel)');
  }
  const formats = new Map<string, FuzzFormat>(FORMATS.map((f) => [f.name, f]));
  for (const path of extras) for (const f of ((await import(path)) as { formats: FuzzFormat[] }).formats) formats.set(f.name, f);
  const ctx: CaseContext = { seedsDir, caseDir, errorClasses: frameworkErrorClasses(), globals: [] };
  for (const name of JSON.parse(checked) as string[]) {
    const f = formats.get(name);
    if (f && FORMATS.includes(f)) await checkSeeds(f, ctx);
  }
  ctx.globals = snapshotGlobals();
  // the time limit is the load's: making a large mutated case can itself take seconds
  ctx.onLoading = () => send({ type: 'loading' });

  // an error nobody awaited (a timer, a stream) is reported as the case's crash
  const crash = (err: unknown): void => {
    const e = err instanceof Error ? err : new Error(String(err));
    void send({ type: 'crash', error: e.name, message: e.message, stack: e.stack ?? '' }).then(() => process.exit(70));
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  process.on('message', (raw: ParentMessage) => {
    if (raw.type !== 'case') return;
    const format = formats.get(raw.format);
    if (!format) {
      void send({ type: 'result', seedName: '', outcome: { kind: 'finding', finding: 'harness', error: 'Error', message: `no format '${raw.format}'`, stack: '' } });
      return;
    }
    void runCase(format, raw.seed, raw.index, ctx).then(async (result) => {
      await send({ type: 'result', ...result });
      // a process whose globals were changed cannot judge the next case: the parent starts a new one
      if (result.outcome.kind === 'finding' && result.outcome.finding === 'pollution') process.exit(0);
    });
  });
  await send({ type: 'ready' });
}

main().catch((err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  const cause = e.cause instanceof Error ? `\n${e.cause.stack ?? e.cause.message}` : '';
  void send({ type: 'failed', message: `${e.message}${cause}` }).then(() => process.exit(2));
});
