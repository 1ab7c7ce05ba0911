/** Every workload of the suite, in the order they run. A new workload is added to this list. */
import { add } from './add.js';
import { audioCrnn, audioMel } from './audio.js';
import { cnn } from './cnn.js';
import { dpSgd } from './dp.js';
import { charGpt } from './char-gpt.js';
import { inference } from './inference.js';
import { mlp } from './mlp.js';
import { overhead } from './overhead.js';
import { sgemm } from './sgemm.js';
import { textBilstm, textCnn } from './text.js';
import type { Workload } from './types.js';

/** The workloads in the order `npm run bench` runs them. */
export const WORKLOADS: readonly Workload[] = [sgemm, add, overhead, mlp, cnn, charGpt, textCnn, textBilstm, audioMel, audioCrnn, dpSgd, inference];
