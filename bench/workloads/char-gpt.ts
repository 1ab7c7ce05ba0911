/**
 * The training step of the character GPT of issue #7 in nanoGPT's small CPU configuration:
 * 4 layers, 4 heads, 128 wide, context 64, batch 12, vocabulary 65, no biases, tied head;
 * forward, cross-entropy, backward, global grad-norm clip 1, AdamW (decay on matrices) — ms per
 * step. The ids are random (a step costs the same whatever the text).
 */
import * as nb from '../../src/index.js';
import { ALL_THREADS, num, same, type Workload } from './types.js';

const CONFIG = { vocab: 65, context: 64, batch: 12, layers: 4, heads: 4, embd: 128 };

export const charGpt: Workload = {
  name: 'char_gpt',
  title: 'Character GPT training step',
  unit: { label: 'ms/step', kind: 'time', scale: 1e3 },
  about: `nanoGPT's small CPU Shakespeare model (${CONFIG.layers} layers, ${CONFIG.heads} heads, ${CONFIG.embd} wide, context ${CONFIG.context}, batch ${CONFIG.batch}, vocabulary ${CONFIG.vocab}, no biases in the dense layers, tied head): forward, cross-entropy, backward, grad-norm clip 1, AdamW; a call is a fixed number of steps after a warm-up of 3 (nabla: nb.models.GPT + nb.models.languageModelStep; PyTorch: the same model in nn.Module, bench/peers/char_gpt.py).`,
  warmup: 0,
  targetSeconds: 0,
  pauseMs: 200,
  cases(opts) {
    const steps = opts.quick ? 5 : 20;
    // one thread as well: on a shared machine it is the steadier comparison
    const threads = [...new Set([1, ALL_THREADS])];
    return threads.map((n) => ({ label: `${steps} steps, ${n} thread${n === 1 ? '' : 's'}`, params: { steps, ...CONFIG, threads: n }, work: steps }));
  },
  plan(contender, c) {
    return contender === 'nabla' || contender === 'torch' ? same(c) : undefined;
  },
  setupNabla(params) {
    nb.manualSeed(0);
    const [vocab, context, batch] = [num(params, 'vocab'), num(params, 'context'), num(params, 'batch')];
    const model = new nb.models.GPT({ vocabSize: vocab, contextLength: context, numLayers: num(params, 'layers'), numHeads: num(params, 'heads'), embedDim: num(params, 'embd') });
    const x = nb.randint(0, vocab, [batch, context], { dtype: 'int32' });
    const y = nb.randint(0, vocab, [batch, context], { dtype: 'int32' });
    nb.noGrad(() => model.apply(x));
    const step = nb.models.languageModelStep(model, { learningRate: 1e-3 });
    for (let i = 0; i < 3; i++) step(x, y).item();
    const steps = num(params, 'steps');
    return () => {
      for (let i = 0; i < steps; i++) step(x, y).item();
    };
  },
};
