// Run by resume-sigkill.test.ts in a child process: `resume-child.ts OUT_JSON CHECKPOINT_DIR`
// runs resume-run.ts's training with fit({ checkpointDir }) and writes its result to OUT_JSON
// (whole or not at all: a killed run leaves none).
import { renameSync, writeFileSync } from 'node:fs';
import { trainRun } from './resume-run.js';

const [out, checkpointDir] = process.argv.slice(2);
if (out === undefined || checkpointDir === undefined) throw new Error('usage: resume-child.ts OUT_JSON CHECKPOINT_DIR');
const result = await trainRun(checkpointDir);
writeFileSync(`${out}.tmp`, JSON.stringify(result));
renameSync(`${out}.tmp`, out);
