// trainValSplit({ by: 'sentence' }): whole sentences held out, their phrases kept out of training,
// hand-worked on a tiny SST-2-like set; and on the shared SST-2 file, the python count of its
// sentences (texts that are part of no other row), 6,886.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasets } from '../../src/data/index.js';
import { tensor } from '../../src/tensor/creation.js';

const { trainValSplit, sst2 } = datasets;

function set(texts: string[]) {
  return { texts, labels: tensor(Int32Array.from(texts.map((_, i) => i % 2)), { dtype: 'int32', shape: [texts.length] }), classNames: ['neg', 'pos'] };
}

// two sentences; "a fine film" belongs to both, "dull" and "a dull film ." to the second only;
// "fine film" is a part of both; "film" a token of both; "  a fine  film " is the same text as "a fine film"
const rows = [
  'a fine film , not a dull film .', // 0 sentence A
  'a fine film', // 1 part of A and B
  'dull', // 2 part of A and B ("a dull film ." in B, "not a dull" in A)
  'the cast makes a fine film a dull film .', // 3 sentence B
  'makes a fine film', // 4 part of B only
  '  a fine  film ', // 5 the same text as row 1
  'fine film', // 6 part of A and B
  'a dull film .', // 7 part of A and B
  'the cast', // 8 part of B only
  'an unrelated sentence', // 9 sentence C
];

test("by: 'sentence' holds out sentences only; a part of held-out sentences only is left out", () => {
  // sentences are A, B and C: one (round(3 · 0.34)) is held out; try seeds until each is held once
  const heldOut = new Map<string, ReturnType<typeof trainValSplit>>();
  for (let seed = 0; seed < 50 && heldOut.size < 3; seed++) {
    const s = trainValSplit(set(rows), { validation: 0.34, seed, by: 'sentence' });
    assert.equal(s.val.texts.length, 1);
    heldOut.set(s.val.texts[0]!, s);
  }
  assert.deepEqual([...heldOut.keys()].sort(), [rows[0], rows[3], rows[9]].sort());
  // A held out: every part of A is also in B, so all stay in training
  assert.deepEqual(heldOut.get(rows[0]!)!.train.texts, rows.filter((_, i) => i !== 0));
  // B held out: "makes a fine film" and "the cast" are B's alone and are left out of both parts
  assert.deepEqual(heldOut.get(rows[3]!)!.train.texts, rows.filter((_, i) => ![3, 4, 8].includes(i)));
  // C held out: C has no parts
  const c = heldOut.get(rows[9]!)!;
  assert.deepEqual(c.train.texts, rows.slice(0, 9));
  assert.deepEqual(Array.from(c.val.labels.data()), [1]); // row 9's label travels with it
});

test("by: 'sentence' without phrases is a split of the distinct texts; repeats go together", () => {
  const texts = Array.from({ length: 20 }, (_, i) => `sentence number ${i % 10}`);
  const s = trainValSplit(set(texts), { validation: 0.2, seed: 1, by: 'sentence' });
  assert.equal(s.val.texts.length, 4); // 2 of the 10 distinct texts, each twice
  assert.equal(new Set(s.val.texts).size, 2);
  assert.equal(s.train.texts.length, 16);
  for (const t of s.val.texts) assert.ok(!s.train.texts.includes(t), `${t} is in both parts`);
  assert.deepEqual(trainValSplit(set(texts), { validation: 0.2, seed: 1, by: 'sentence' }).val.texts, s.val.texts);
});

test("by: errors name the option and the fix", () => {
  assert.throws(() => trainValSplit(set(['a', 'b']), { by: 'phrase' as 'sentence' }), { name: 'ValueError', message: /by must be 'example' or 'sentence', got "phrase"/ });
  // "a" is a part of "a b": one sentence cannot be split
  assert.throws(() => trainValSplit(set(['a', 'a b', 'b']), { by: 'sentence' }), { name: 'ValueError', message: /1 distinct sentence cannot be split .* use more data or by: 'example'/ });
});

const SHARED = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const noSst2 = existsSync(join(SHARED, 'sst2/train.tsv')) ? false : 'the shared SST-2 file is not present';

test('SST-2 by sentence: 6,886 sentences, 10 % held out, no held-out text or its own phrase in training', { skip: noSst2 }, () => {
  const d = sst2(join(SHARED, 'sst2'));
  const { train, val } = trainValSplit(d, { validation: 0.1, seed: 0, by: 'sentence' });
  assert.equal(val.texts.length, 689); // round(6886 · 0.1), no held-out sentence is repeated
  assert.equal(train.texts.length, 61041);
  const inTrain = new Set(train.texts.map((t) => t.trim()));
  for (const t of val.texts) assert.ok(!inTrain.has(t.trim()));
  // the rows left out: checked by brute force on every 25th one — a run of whole tokens of a
  // held-out sentence, and of no training text
  const left = d.texts.filter((t) => !inTrain.has(t.trim()) && !val.texts.includes(t));
  assert.equal(left.length, 5619);
  const padded = (t: string) => ` ${t.trim().split(/\s+/).join(' ')} `;
  const heldText = val.texts.map(padded);
  const trainText = train.texts.map(padded);
  for (let i = 0; i < left.length; i += 25) {
    const p = padded(left[i]!);
    assert.ok(heldText.some((h) => h.includes(p)), `${left[i]} is in no held-out sentence`);
    assert.ok(!trainText.some((h) => h.includes(p)), `${left[i]} is in a training text`);
  }
});
