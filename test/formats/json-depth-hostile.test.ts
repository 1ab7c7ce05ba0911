// Deeply nested JSON (issue 12, item 9): JSON.parse takes 100,000 nested '[' in its stride, but
// the code that walks the value afterwards (an error message's JSON.stringify, a config loader)
// recursed until the stack overflowed. Every JSON file nabla reads is now bounded in depth right
// after parsing, with a FormatError naming the file; '__proto__' keys are refused in nabla's own files.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { decodeSafetensors, FormatError, loadCheckpoint, loadSharded, saveCheckpoint, saveSharded } from '../../src/io/index.js';
import { ByteLevelBPE, CharTokenizer } from '../../src/data/text/index.js';
import { jsonTreeProblem, MAX_JSON_DEPTH } from '../../src/formats/json-tree.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-json-depth-'));
after(() => rmSync(root, { recursive: true, force: true }));

const N = 100_000;
const deepArray = '['.repeat(N) + ']'.repeat(N);
const deepObject = '{"a":'.repeat(N) + '1' + '}'.repeat(N);

/** Asserts a FormatError whose message names `where` and says the nesting is too deep. */
function tooDeep(fn: () => unknown, where: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof FormatError, `expected a FormatError, got ${String(err)}`);
    assert.ok(err.message.includes(where), `names ${where}: ${err.message}`);
    assert.match(err.message, new RegExp(`nests values more than ${MAX_JSON_DEPTH} levels deep \\(at \\$`));
    return true;
  });
}

test('JSON.parse itself takes 100,000 levels; the depth check finds them without recursing', () => {
  assert.ok(Array.isArray(JSON.parse(deepArray)));
  assert.match(jsonTreeProblem(JSON.parse(deepObject))!, /nests values more than 256 levels deep \(at \$\.a\.a\.a.*….*\.a\.a\)/);
  const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
  assert.equal(jsonTreeProblem(JSON.parse(atLimit)), null);
  assert.match(jsonTreeProblem(JSON.parse(`[${atLimit}]`))!, /more than 256 levels/);
  assert.match(jsonTreeProblem(JSON.parse('{"a": [{"b": 1}, {"__proto__": {"x": 1}}]}'))!, /has a key '__proto__' \(at \$\.a\[1\]\.__proto__\)/);
  assert.equal(jsonTreeProblem(JSON.parse('{"__proto__": 1}'), { allowProtoKeys: true }), null);
});

async function savedModel(): Promise<{ dir: string; text: string }> {
  const model = new nb.Sequential([new nb.layers.Dense(2)]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  model.apply(nb.zeros([1, 3]));
  const dir = mkdtempSync(join(root, 'model-'));
  await model.save(dir);
  return { dir, text: readFileSync(join(dir, 'model.json'), 'utf8') };
}

test('model.json: a deep value anywhere is a FormatError naming the file, not a stack overflow', async () => {
  const { dir, text } = await savedModel();
  const path = join(dir, 'model.json');
  const places: [string, string][] = [
    ['"className": "Sequential"', `"className": ${deepArray}`],
    ['"units": 2', `"units": ${deepArray}`],
    ['"inputShape": [', `"inputShape": [${deepArray},`],
    ['"className": "GlorotUniform"', `"className": ${deepObject}`],
    ['"metadata": {}', `"metadata": ${deepObject}`],
  ];
  for (const [from, to] of places) {
    assert.ok(text.includes(from), from);
    writeFileSync(path, text.replace(from, to));
    tooDeep(() => nb.loadModel(dir), `loadModel: ${path}`);
  }
});

test("model.json: a '__proto__' key is refused wherever it is, and no prototype changes", async () => {
  const { dir, text } = await savedModel();
  const path = join(dir, 'model.json');
  for (const [from, to] of [
    ['"units": 2,', '"units": 2, "__proto__": {"units": 5, "polluted": true},'],
    ['"metadata": {}', '"metadata": {"__proto__": {"polluted": true}}'],
    ['"format":', '"__proto__": {"polluted": true}, "format":'],
  ] as const) {
    writeFileSync(path, text.replace(from, to));
    assert.throws(() => nb.loadModel(dir), (err: unknown) => err instanceof FormatError && /has a key '__proto__' \(at \$[^)]*\.__proto__\), which is refused/.test(err.message));
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  }
});

test('checkpoint.json: a deep value or a __proto__ key is a FormatError', () => {
  const model = new nb.Sequential([new nb.layers.Dense(2)]);
  model.apply(nb.zeros([1, 3]));
  const dir = join(root, 'ckpt');
  saveCheckpoint(dir, { model, extra: { note: 'x' } });
  const path = join(dir, 'checkpoint.json');
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.replace('"note": "x"', `"note": ${deepArray}`));
  tooDeep(() => loadCheckpoint(dir, { model }), 'checkpoint.json');
  writeFileSync(path, text.replace('"note": "x"', '"__proto__": {"polluted": 1}'));
  assert.throws(() => loadCheckpoint(dir, { model }), /checkpoint\.json has a key '__proto__' \(at \$\.extra\.__proto__\)/);
  writeFileSync(path, text);
  assert.deepEqual(loadCheckpoint(dir, { model }).extra, { note: 'x' });
});

test('tokenizer files: a deep field is a FormatError naming the path', () => {
  const bpePath = join(root, 'bpe.json');
  ByteLevelBPE.train('aaabdaaabac', { vocabSize: 259 }).save(bpePath);
  const bpe = JSON.parse(readFileSync(bpePath, 'utf8')) as Record<string, unknown>;
  for (const field of ['merges', 'specialTokens', 'vocabSize', 'preTokenize', 'version']) {
    writeFileSync(bpePath, JSON.stringify({ ...bpe, [field]: 'DEEP' }).replace('"DEEP"', deepArray));
    tooDeep(() => ByteLevelBPE.load(bpePath), `ByteLevelBPE.load: ${bpePath}`);
  }
  const charPath = join(root, 'chars.json');
  CharTokenizer.fromText('abc').save(charPath);
  const chars = JSON.parse(readFileSync(charPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(charPath, JSON.stringify({ ...chars, chars: 'DEEP' }).replace('"DEEP"', deepArray));
  tooDeep(() => CharTokenizer.load(charPath), `CharTokenizer.load: ${charPath}`);
});

/** Safetensors bytes with the given header text and no data. */
function safetensorsWithHeader(header: string): Uint8Array {
  const h = new TextEncoder().encode(header);
  const bytes = new Uint8Array(8 + h.length);
  new DataView(bytes.buffer).setUint32(0, h.length, true);
  bytes.set(h, 8);
  return bytes;
}

test('safetensors: a deep header value (dtype, shape, offsets, metadata) is a FormatError', () => {
  for (const header of [
    `{"a": ${deepArray}}`,
    `{"a": {"dtype": ${deepArray}}}`,
    `{"a": {"dtype": "F32", "shape": ${deepArray}}}`,
    `{"a": {"dtype": "F32", "shape": [], "data_offsets": ${deepArray}}}`,
    `{"__metadata__": {"a": ${deepObject}}}`,
  ]) {
    tooDeep(() => decodeSafetensors(safetensorsWithHeader(header)), 'safetensors: the header');
  }
});

test('a sharded index with a deep value is a FormatError naming the index', () => {
  const dir = join(root, 'sharded');
  mkdirSync(dir);
  saveSharded(dir, { a: nb.ones([2]) });
  const index = join(dir, 'model.safetensors.index.json');
  const json = JSON.parse(readFileSync(index, 'utf8')) as Record<string, unknown>;
  writeFileSync(index, JSON.stringify({ ...json, metadata: 'DEEP' }).replace('"DEEP"', deepObject));
  tooDeep(() => loadSharded(dir), `loadSharded: ${index}`);
});
