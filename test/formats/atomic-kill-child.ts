// Run by atomic-stale.test.ts in a child process: `atomic-kill-child.ts PATH` starts an atomic
// write of PATH, writes its first MiB, says 'started' and then waits to be killed mid-write.
import { writeFileAtomic } from '../../src/formats/atomic.js';

const [path] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: atomic-kill-child.ts PATH');

function* slowChunks(): Generator<Uint8Array> {
  yield new Uint8Array(1 << 20).fill(7);
  // the first chunk is on disk once the generator resumes; stdout to a pipe is synchronous
  process.stdout.write('started\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  yield new Uint8Array(1);
}

writeFileAtomic(path, slowChunks());
