/**
 * An independent reference of the GPT forward pass in plain float64 JS loops over a state dict
 * (written from the formulas, not from src/models): embeddings, pre-norm blocks with causal
 * multi-head attention and an exact-GELU MLP, final layer norm, tied output projection.
 */
type Mat = number[][];

function erf(x: number): number {
  // series for |x| < 3, continued-fraction-free asymptotic tail beyond (|error| < 1e-12 where used)
  if (Math.abs(x) > 5) return Math.sign(x);
  let sum = 0;
  let term = x;
  for (let n = 0; n < 200; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const gelu = (x: number): number => 0.5 * x * (1 + erf(x / Math.SQRT2));

function matmul(a: Mat, w: Mat): Mat {
  return a.map((row) => w[0]!.map((_, j) => row.reduce((s, v, k) => s + v * w[k]![j]!, 0)));
}

function layerNorm(x: Mat, gamma: ArrayLike<number>, beta: ArrayLike<number>, eps = 1e-5): Mat {
  return x.map((row) => {
    const mu = row.reduce((a, b) => a + b, 0) / row.length;
    const varr = row.reduce((a, b) => a + (b - mu) ** 2, 0) / row.length;
    return row.map((v, i) => ((v - mu) / Math.sqrt(varr + eps)) * gamma[i]! + beta[i]!);
  });
}

function toMat(flat: ArrayLike<number>, rows: number, cols: number): Mat {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => flat[r * cols + c]!));
}

/** Logits `[T][V]` for one sequence `ids`, from weights given as flat arrays by path. */
export function referenceGPT(ids: number[], w: Record<string, ArrayLike<number>>, cfg: { vocab: number; dim: number; heads: number; layers: number }): Mat {
  const { vocab: V, dim: D, heads: H, layers: L } = cfg;
  const T = ids.length;
  const tok = toMat(w['tokenEmbedding.embeddings']!, V, D);
  const pos = toMat(w['positionEmbedding.embeddings']!, T, D);
  let x: Mat = ids.map((id, t) => tok[id]!.map((v, i) => v + pos[t]![i]!));
  const hd = D / H;
  for (let l = 0; l < L; l++) {
    const p = `blocks.${l}.`;
    const h = layerNorm(x, w[`${p}norm1.gamma`]!, w[`${p}norm1.beta`]!);
    const [q0, k0, v0] = ['query', 'key', 'value'].map((n) => matmul(h, toMat(w[`${p}attention.${n}Dense.kernel`]!, D, D)));
    const qkv = q0!.map((row, t) => [...row, ...k0![t]!, ...v0![t]!]);
    const att: Mat = Array.from({ length: T }, () => new Array<number>(D).fill(0));
    for (let head = 0; head < H; head++) {
      for (let i = 0; i < T; i++) {
        const q = qkv[i]!.slice(head * hd, (head + 1) * hd);
        const scores: number[] = [];
        for (let j = 0; j <= i; j++) {
          const k = qkv[j]!.slice(D + head * hd, D + (head + 1) * hd);
          scores.push(q.reduce((s, v, n) => s + v * k[n]!, 0) / Math.sqrt(hd));
        }
        const m = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - m));
        const z = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j <= i; j++) {
          for (let n = 0; n < hd; n++) att[i]![head * hd + n]! += (e[j]! / z) * qkv[j]![2 * D + head * hd + n]!;
        }
      }
    }
    const proj = matmul(att, toMat(w[`${p}attention.outputDense.kernel`]!, D, D));
    x = x.map((row, i) => row.map((v, n) => v + proj[i]![n]!));
    const h2 = layerNorm(x, w[`${p}norm2.gamma`]!, w[`${p}norm2.beta`]!);
    const fc = matmul(h2, toMat(w[`${p}dense1.kernel`]!, D, 4 * D)).map((row) => row.map(gelu));
    const out = matmul(fc, toMat(w[`${p}dense2.kernel`]!, 4 * D, D));
    x = x.map((row, i) => row.map((v, n) => v + out[i]![n]!));
  }
  const hf = layerNorm(x, w['finalNorm.gamma']!, w['finalNorm.beta']!);
  return hf.map((row) => tok.map((e) => e.reduce((s, v, n) => s + v * row[n]!, 0)));
}
