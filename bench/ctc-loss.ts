// CTC loss + gradient, nabla against PyTorch side by side: batch 32 × 100 frames × 11 classes
// (10 digits + blank), labels of 1–7 digits, float32, reduction 'mean', as the connected-digit
// model trains. Each block times nabla, then PyTorch with nabla's thread count and with one thread (a Python child process that stays up), for
// several blocks; the medians over all rounds are printed.
//   node --import tsx bench/ctc-loss.ts [blocks=5]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as nb from '../src/index.js';

const [B, T, C] = [32, 100, 11];
const REPS = 20;
const blocks = Number(process.argv[2] ?? 5);
const gen = new nb.Generator(0);
const lengths = Array.from({ length: B }, (_, b) => 1 + (b % 7));
const labels = lengths.map((n, b) => Array.from({ length: 7 }, (_, s) => (s < n ? 1 + ((b * 7 + s * 3) % 10) : -1)));
const logitsData = Array.from(nb.randn([B, T, C], { generator: gen }).data());

const PY = `
import sys, json, time, torch, torch.nn.functional as F
spec = json.loads(sys.stdin.readline())
B, T, C = spec['shape']
x0 = torch.tensor(spec['logits'], dtype=torch.float32).reshape(B, T, C)
lens = torch.tensor(spec['lengths'])
targets = torch.tensor([[max(v, 0) for v in r] for r in spec['labels']])
inp = torch.full((B,), T, dtype=torch.long)
def step():
    x = x0.clone().requires_grad_(True)
    loss = F.ctc_loss(x.transpose(0, 1).log_softmax(-1), targets, inp, lens, reduction='mean')
    loss.backward()
    return loss.item()
print(json.dumps({'loss': step()}), flush=True)
for line in sys.stdin:
    n, threads = map(int, line.split())
    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    for _ in range(n): step()
    print(json.dumps({'ms': (time.perf_counter() - t0) * 1000 / n}), flush=True)
`;

async function main(): Promise<void> {
  const threads = nb.info().threads ?? 1;
  const py = spawn('/usr/bin/python3', ['-c', PY], {
    env: { ...process.env, LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-openmp' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
  const ask = async (line: string): Promise<Record<string, number>> => {
    py.stdin.write(line + '\n');
    const r = await lines.next();
    return JSON.parse(r.value as string) as Record<string, number>;
  };
  const torchLoss = (await ask(JSON.stringify({ shape: [B, T, C], logits: logitsData, lengths, labels }))).loss!;

  const y = nb.tensor(labels, { dtype: 'int32' });
  const x0 = nb.tensor(logitsData, { shape: [B, T, C] });
  const step = (): number => {
    const x = x0.detach().requireGrad();
    const loss = nb.losses.ctc(y, x);
    loss.backward();
    return loss.item();
  };
  const ours = step();
  console.log(`backend ${nb.info().backend}, threads ${threads}; loss nabla ${ours.toFixed(6)}, PyTorch ${torchLoss.toFixed(6)}`);
  const nablaMs: number[] = [];
  const torchMs: number[] = [];
  const torch1Ms: number[] = [];
  for (let k = 0; k < blocks; k++) {
    const t0 = performance.now();
    for (let i = 0; i < REPS; i++) step();
    nablaMs.push((performance.now() - t0) / REPS);
    torchMs.push((await ask(`${REPS} ${threads}`)).ms!);
    torch1Ms.push((await ask(`${REPS} 1`)).ms!);
  }
  py.stdin.end();
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const [n, t, t1] = [median(nablaMs), median(torchMs), median(torch1Ms)];
  // nabla's CTC kernel runs on one thread; PyTorch is shown with as many threads and with one
  console.log(`ctc loss+grad [${B}, ${T}, ${C}] float32, median ms: nabla ${n.toFixed(3)}; PyTorch ${threads} threads ${t.toFixed(3)} (nabla ${(t / n).toFixed(2)}×), 1 thread ${t1.toFixed(3)} (nabla ${(t1 / n).toFixed(2)}×)`);
}

await main();
