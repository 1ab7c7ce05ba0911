"""PyTorch reference for nabla's character GPT (issue #7).

nanoGPT's small CPU configuration of the Shakespeare character model, written here from the
published hyper-parameters (not copied): 4 layers, 4 heads, 128-wide embeddings, context 64,
batch 12, dropout 0, no biases in the linear layers (the layer norms keep theirs, as nabla's
TransformerDecoderBlock), tied token embedding / output weights, AdamW(lr 1e-3,
betas (0.9, 0.99), weight decay 0.1 on matrices only), gradient clipping at 1.0, 100 warm-up
iterations then cosine decay to 1e-4 at 2,000 iterations, 90/10 split, random windows.

Usage:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/peers/char_gpt.py \
      --data ../shared/data/tinyshakespeare/input.txt [--iters 2000] [--eval-iters 200] [--seed 1337]
Prints `iter N train_loss X val_loss Y` lines and a final JSON line with the timings.
"""
import argparse, json, math, time
import torch
import torch.utils.checkpoint
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, h, bias=False):
        super().__init__()
        self.h = h
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d, bias=bias)
        self.proj = nn.Linear(d, d, bias=bias)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, 4 * d, bias=bias)
        self.fc_out = nn.Linear(4 * d, d, bias=bias)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        shape = (b, t, self.h, d // self.h)
        q, k, v = (z.view(shape).transpose(1, 2) for z in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.h)
        mask = torch.ones(t, t, dtype=torch.bool).tril()
        scores = scores.masked_fill(~mask, float('-inf'))
        y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.fc_out(F.gelu(self.fc(self.ln2(x))))


class GPT(nn.Module):
    def __init__(self, vocab, context, layers, heads, d, checkpoint=False, bias=False):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(context, d)
        self.blocks = nn.ModuleList([Block(d, heads, bias) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        self.head.weight = self.tok.weight
        self.checkpoint = checkpoint
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith(('proj.weight', 'fc_out.weight')) else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx, targets=None):
        t = idx.shape[1]
        x = self.tok(idx) + self.pos(torch.arange(t))
        for blk in self.blocks:
            if self.checkpoint and self.training:
                x = torch.utils.checkpoint.checkpoint(blk, x, use_reentrant=False)
            else:
                x = blk(x)
        logits = self.head(self.ln_f(x))
        if targets is None:
            return logits
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.view(-1))


def make_optimizer(model, lr, wd=0.1):
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    groups = [{'params': decay, 'weight_decay': wd}, {'params': no_decay, 'weight_decay': 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.99))


def lr_at(it, lr, min_lr, warmup, decay_iters):
    if it < warmup:
        return lr * (it + 1) / (warmup + 1)
    if it > decay_iters:
        return min_lr
    ratio = (it - warmup) / (decay_iters - warmup)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr - min_lr)


def char_gpt_step(p, model=None):
    """Benchmark peer: a call runs p['steps'] training steps on fixed random ids (after 3 warm-up steps)."""
    torch.manual_seed(0)
    if model is None:
        model = GPT(p['vocab'], p['context'], p['layers'], p['heads'], p['embd'])
    opt = make_optimizer(model, 1e-3)
    x = torch.randint(p['vocab'], (p['batch'], p['context']))
    y = torch.randint(p['vocab'], (p['batch'], p['context']))

    def step():
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(3):
        step()

    def run():
        for _ in range(p['steps']):
            step()

    return run


def gpt2_small(steps, checkpoint):
    """GPT-2-small-sized training steps (12 layers, 12 heads, 768 wide, vocabulary 50257, context
    256, batch 1, biases, tied head): median step time and the process's peak resident memory."""
    import resource
    torch.manual_seed(0)
    model = GPT(50257, 256, 12, 12, 768, checkpoint=checkpoint, bias=True)
    run = char_gpt_step({'vocab': 50257, 'context': 256, 'batch': 1, 'steps': 1}, model=model)
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    times.sort()
    return {'framework': 'torch ' + torch.__version__, 'checkpoint': checkpoint, 'threads': torch.get_num_threads(),
            'params': sum(p.numel() for p in model.parameters()), 'steps': steps,
            'median_step_s': times[len(times) // 2], 'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gpt2', action='store_true', help='measure GPT-2-small training steps instead (prints one JSON line)')
    ap.add_argument('--checkpoint', action='store_true', help='with --gpt2: gradient checkpointing of every block')
    ap.add_argument('--steps', type=int, default=3)
    ap.add_argument('--data')
    ap.add_argument('--iters', type=int, default=2000)
    ap.add_argument('--eval-interval', type=int, default=250)
    ap.add_argument('--eval-iters', type=int, default=20)
    ap.add_argument('--final-eval-iters', type=int, default=200)
    ap.add_argument('--seed', type=int, default=1337)
    ap.add_argument('--threads', type=int, default=0)
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    if a.gpt2:
        print(json.dumps(gpt2_small(a.steps, a.checkpoint)))
        return
    if not a.data:
        ap.error('--data FILE is required (or --gpt2)')
    torch.manual_seed(a.seed)
    text = open(a.data, encoding='utf-8').read()
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(data))
    train, val = data[:n], data[n:]
    ctx, bs = 64, 12

    def batch(split):
        d = train if split == 'train' else val
        ix = torch.randint(len(d) - ctx, (bs,))
        return torch.stack([d[i:i + ctx] for i in ix]), torch.stack([d[i + 1:i + 1 + ctx] for i in ix])

    model = GPT(len(chars), ctx, 4, 4, 128)
    opt = make_optimizer(model, 1e-3)

    @torch.no_grad()
    def evaluate(k):
        model.eval()
        out = {}
        for split in ('train', 'val'):
            out[split] = sum(model(*batch(split)).item() for _ in range(k)) / k
        model.train()
        return out

    step_times = []
    t_start = time.time()
    for it in range(a.iters + 1):
        if it % a.eval_interval == 0 or it == a.iters:
            k = a.final_eval_iters if it == a.iters else a.eval_iters
            ev = evaluate(k)
            print(f"iter {it} train_loss {ev['train']:.4f} val_loss {ev['val']:.4f}", flush=True)
        if it == a.iters:
            break
        for g in opt.param_groups:
            g['lr'] = lr_at(it, 1e-3, 1e-4, 100, 2000)
        t0 = time.perf_counter()
        x, y = batch('train')
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step_times.append((time.perf_counter() - t0) * 1000)
    st = sorted(step_times)
    print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(),
                      'iters': a.iters, 'final_val_loss': ev['val'], 'final_train_loss': ev['train'],
                      'wall_s': time.time() - t_start, 'median_step_ms': st[len(st) // 2],
                      'mean_step_ms': sum(st) / len(st)}))


if __name__ == '__main__':
    main()
