/**
 * GPT-2-small-sized training step (12 layers, 12 heads, 768 wide, vocabulary 50,257, context 256,
 * batch 1, biases, tied head; AdamW, grad-norm clip 1): median step time and peak resident memory,
 * nabla and PyTorch, each with and without gradient checkpointing of every block. Each of the four
 * runs is its own process, so that peak memory (the process's max RSS, which includes the
 * weights, gradients and AdamW moments: about 2 GB for 124 M float32 parameters) is its own.
 *
 * Both run on the same number of threads (`--threads`, default 2): the suite's PyTorch
 * environment alone would leave PyTorch on one.
 *
 *   node --import tsx bench/gpt2-small.ts [--steps 3] [--threads 2] [--out bench/results/gpt2-small.json]
 *   node --import tsx bench/gpt2-small.ts --child [--checkpoint] [--steps 3] [--threads 2]   (one nabla run)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { PEER_COMMANDS } from './peers/peers.js';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as nb from '../src/index.js';
import { setNativeThreads } from '../src/backend/index.js';

const CONFIG = { vocabSize: 50257, contextLength: 256, numLayers: 12, numHeads: 12, embedDim: 768, useBias: true };

interface RunResult {
  framework: string;
  checkpoint: boolean;
  threads: number;
  params: number;
  steps: number;
  median_step_s: number;
  peak_rss_mb: number;
}

function nablaRun(steps: number, checkpoint: boolean, threads: number): RunResult {
  setNativeThreads(threads);
  nb.manualSeed(0);
  const model = new nb.models.GPT({ ...CONFIG, gradientCheckpointing: checkpoint });
  const x = nb.randint(0, CONFIG.vocabSize, [1, CONFIG.contextLength], { dtype: 'int32' });
  const y = nb.randint(0, CONFIG.vocabSize, [1, CONFIG.contextLength], { dtype: 'int32' });
  nb.noGrad(() => model.apply(x));
  const step = nb.models.languageModelStep(model, { learningRate: 1e-3 });
  step(x, y).item(); // warm-up (allocates the AdamW moments)
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    step(x, y).item();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return {
    framework: `nabla ${nb.VERSION} (${nb.backend().name})`,
    checkpoint,
    threads,
    params: model.countParams(),
    steps,
    median_step_s: times[Math.floor(times.length / 2)]!,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

function lastJsonLine(out: string): RunResult {
  const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (line === undefined) throw new Error(`no JSON result in:\n${out}`);
  return JSON.parse(line) as RunResult;
}

function main(): void {
  const { values } = parseArgs({ options: { child: { type: 'boolean' }, checkpoint: { type: 'boolean' }, steps: { type: 'string', default: '3' }, threads: { type: 'string', default: '2' }, out: { type: 'string', default: 'bench/results/gpt2-small.json' } } });
  const steps = Number(values.steps);
  const threads = Number(values.threads);
  if (values.child) {
    console.log(JSON.stringify(nablaRun(steps, values.checkpoint === true, threads)));
    return;
  }
  const results: RunResult[] = [];
  for (const checkpoint of [false, true]) {
    const flag = checkpoint ? ['--checkpoint'] : [];
    const n = spawnSync(process.execPath, ['--import', 'tsx', 'bench/gpt2-small.ts', '--child', '--steps', String(steps), '--threads', String(threads), ...flag], { encoding: 'utf8' });
    if (n.status !== 0) throw new Error(`nabla run failed: ${n.stderr}`);
    results.push(lastJsonLine(n.stdout));
    // the suite's PyTorch environment: the OpenMP OpenBLAS and the malloc tunables (peers.ts)
    const torch = PEER_COMMANDS.torch!;
    const t = spawnSync(torch.command, ['bench/peers/char_gpt.py', '--gpt2', '--steps', String(steps), '--threads', String(threads), ...flag], { encoding: 'utf8', env: { ...process.env, ...torch.env } });
    if (t.status !== 0) throw new Error(`PyTorch run failed: ${t.stderr}`);
    results.push(lastJsonLine(t.stdout));
  }
  console.log('GPT-2-small training step (12×768, vocab 50257, context 256, batch 1), median of', steps, 'steps after one warm-up');
  console.log('framework'.padEnd(28), 'checkpointing', 'threads', 'step s'.padStart(8), 'peak RSS MB'.padStart(12));
  for (const r of results) {
    console.log(r.framework.padEnd(28), String(r.checkpoint).padEnd(13), String(r.threads).padEnd(7), r.median_step_s.toFixed(2).padStart(8), r.peak_rss_mb.toFixed(0).padStart(12));
  }
  writeFileSync(values.out!, JSON.stringify({ date: new Date().toISOString(), config: CONFIG, results }, null, 2) + '\n');
  console.log(`written to ${values.out}`);
}

main();
