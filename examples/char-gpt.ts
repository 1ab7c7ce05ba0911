// A character-level GPT on Tiny Shakespeare, nanoGPT's small CPU configuration: 4 layers, 4 heads,
// 128 wide, context 64, batch 12, AdamW 1e-3 → 1e-4 (cosine), 2,000 iterations; then a sample.
// The same recipe as `nabla train --model gpt --data FILE.txt` (src/cli/train-gpt.ts).
// Run: npx tsx examples/char-gpt.ts [FILE.txt] [iterations]
//      (default file: ../shared/data/tinyshakespeare/input.txt, read in place, never copied)
import * as nb from '../src/index.js';

const file = process.argv[2] ?? '../shared/data/tinyshakespeare/input.txt';
const iters = Number(process.argv[3] ?? 2000);
nb.manualSeed(1337);
const corpus = nb.data.text.CharCorpus.fromFile(file); // 90 % training, 10 % validation
const model = new nb.models.GPT({ vocabSize: corpus.tokenizer.vocabSize, contextLength: 64, numLayers: 4, numHeads: 4, embedDim: 128 });
const result = nb.models.trainLanguageModel(model, corpus, { iters, batchSize: 12, learningRate: 1e-3, minLearningRate: 1e-4, log: console.log });
console.log(`val_loss ${result.valLoss.toFixed(4)} after ${iters} iterations, ${result.seconds.toFixed(0)} s (${result.medianStepMs.toFixed(1)} ms/iteration)`);
nb.plot.history(result.history, 'char-gpt-loss.png', { metrics: ['loss'], title: 'Char GPT loss' });
console.log(nb.text.generate(model, 'ROMEO:', { tokenizer: corpus.tokenizer, maxNewTokens: 300, temperature: 0.8, topK: 40, seed: 0 }));
