import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressBar, formatLogs, formatValue } from '../../src/model/progress.js';

/** A stream that records every write, with a clock the test moves by hand. */
function fake(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  let t = 0;
  return {
    writes,
    stream: { isTTY, columns, write: (s: string) => writes.push(s) },
    now: () => t,
    set: (ms: number) => { t = ms; },
  };
}

const logs = { loss: 0.312, accuracy: 0.88612 };
const finalLogs = { ...logs, val_loss: 0.33, val_accuracy: 0.88 };

test('formatValue: 4 decimals, exponent form when tiny or huge, nan and inf', () => {
  assert.equal(formatValue(0.31204), '0.3120');
  assert.equal(formatValue(12.5), '12.5000');
  assert.equal(formatValue(0), '0.0000');
  assert.equal(formatValue(-0.25), '-0.2500');
  assert.equal(formatValue(2.5e-5), '2.5000e-5');
  assert.equal(formatValue(-3e7), '-3.0000e+7');
  assert.equal(formatValue(NaN), 'nan');
  assert.equal(formatValue(-Infinity), '-inf');
});

test('formatLogs puts val_ entries after the training ones', () => {
  assert.equal(formatLogs({ val_loss: 0.33, loss: 0.312, accuracy: 0.5 }), 'loss: 0.3120 - accuracy: 0.5000 - val_loss: 0.3300');
  assert.equal(formatLogs({}), '');
});

test('not a TTY: exactly one plain line per epoch, written at finish', () => {
  const f = fake(false);
  for (let epoch = 1; epoch <= 2; epoch++) {
    f.set(0);
    const bar = new ProgressBar({ total: 422, epoch, epochs: 10, stream: f.stream, now: f.now });
    for (let s = 1; s <= 422; s++) {
      f.set(s * 4);
      bar.update(s, logs);
    }
    f.set(1688); // 1.688 s over 422 steps: 4 ms/step
    bar.finish(finalLogs);
    bar.finish(finalLogs); // a second finish does nothing
  }
  assert.deepEqual(f.writes, [
    'Epoch 1/10 - 422/422 - 2s 4ms/step - loss: 0.3120 - accuracy: 0.8861 - val_loss: 0.3300 - val_accuracy: 0.8800\n',
    'Epoch 2/10 - 422/422 - 2s 4ms/step - loss: 0.3120 - accuracy: 0.8861 - val_loss: 0.3300 - val_accuracy: 0.8800\n',
  ]);
});

test('not a TTY: per-step time in s, ms or us; no logs, no trailing separator', () => {
  const cases: [number, number, string][] = [[1000, 50, '0s 50us/step'], [3, 7500, '8s 3s/step'], [10, 25, '0s 3ms/step']];
  for (const [total, ms, timing] of cases) {
    const f = fake(false);
    const bar = new ProgressBar({ total, epoch: 1, epochs: 1, stream: f.stream, now: f.now });
    f.set(ms);
    bar.finish({});
    assert.deepEqual(f.writes, [`Epoch 1/1 - ${total}/${total} - ${timing}\n`]);
  }
});

test('TTY: epoch line, a live bar redrawn in place with ETA, then the final line', () => {
  const f = fake(true);
  const bar = new ProgressBar({ total: 422, epoch: 3, epochs: 10, stream: f.stream, now: f.now });
  assert.deepEqual(f.writes, ['Epoch 3/10\n']);
  f.set(844);
  bar.update(211, { loss: 0.5 }); // 4 ms/step, 211 steps left: ETA 0.844 s
  assert.equal(f.writes[1], '\r211/422 ━━━━━━━━━━────────── ETA 0:01 4ms/step - loss: 0.5000\x1b[K');
  f.set(1688);
  bar.finish(finalLogs);
  assert.equal(f.writes[2], '\r422/422 ━━━━━━━━━━━━━━━━━━━━ 2s 4ms/step - loss: 0.3120 - accuracy: 0.8861 - val_loss: 0.3300 - val_accuracy: 0.8800\x1b[K\n');
  assert.equal(f.writes.length, 3);
});

test('TTY: the step counter is padded and long ETAs read h:mm:ss', () => {
  const f = fake(true);
  const bar = new ProgressBar({ total: 1000, epoch: 1, epochs: 1, stream: f.stream, now: f.now });
  f.set(9000);
  bar.update(5, {}); // 1.8 s/step, 995 left: 1791 s = 0:29:51
  assert.equal(f.writes[1], '\r   5/1000 ──────────────────── ETA 29:51 2s/step\x1b[K');
  f.set(9000 + 3600_000);
  bar.update(6, {}); // 601.5 s/step, 994 left
  assert.match(f.writes[2]!, /ETA 166:04:51 602s\/step/);
});

test('TTY: throttled to about 10 redraws a second, except the final one', () => {
  const f = fake(true);
  const bar = new ProgressBar({ total: 1000, epoch: 1, epochs: 2, stream: f.stream, now: f.now });
  for (let s = 1; s <= 1000; s++) {
    f.set(s / 100); // 1000 updates within 10 ms
    bar.update(s, { loss: 1 / s });
  }
  assert.equal(f.writes.length, 2); // the epoch line and one redraw
  f.set(150);
  bar.update(1000, { loss: 0.001 });
  assert.equal(f.writes.length, 3);
  f.set(151);
  bar.finish({ loss: 0.001 });
  assert.equal(f.writes.length, 4);
  assert.ok(f.writes[3]!.startsWith('\r1000/1000 ━'));
  assert.ok(f.writes.slice(1).every((w) => w.startsWith('\r') && /[━─]{20}/.test(w)));
  bar.update(1000, {}); // after finish: nothing
  assert.equal(f.writes.length, 4);
});

test('TTY: the bar shrinks to fit the terminal width and is dropped when there is no room', () => {
  const f = fake(true, 50);
  const bar = new ProgressBar({ total: 422, epoch: 1, epochs: 1, stream: f.stream, now: f.now });
  f.set(844);
  bar.update(211, { loss: 0.5 });
  // 49 usable columns: '211/422' + ' ' + bar + ' ' + 'ETA 0:01 4ms/step - loss: 0.5000' (32) → bar of 8.
  assert.equal(f.writes[1], '\r211/422 ━━━━──── ETA 0:01 4ms/step - loss: 0.5000\x1b[K');
  const g = fake(true, 30);
  const narrow = new ProgressBar({ total: 422, epoch: 1, epochs: 1, stream: g.stream, now: g.now });
  g.set(844);
  narrow.update(211, { loss: 0.5 });
  assert.equal(g.writes[1], '\r211/422 ETA 0:01 4ms/step - l\x1b[K'); // cut to 29 columns, no wrap
  // The final line shrinks its bar when that keeps it on one line, else keeps it whole and wraps.
  f.set(1688);
  bar.finish({ loss: 0.5 });
  assert.equal(f.writes[2], `\r422/422 ${'━'.repeat(14)} 2s 4ms/step - loss: 0.5000\x1b[K\n`);
  g.set(1688);
  narrow.finish({ loss: 0.5 });
  assert.equal(g.writes[2], `\r422/422 ${'━'.repeat(20)} 2s 4ms/step - loss: 0.5000\x1b[K\n`);
});

test('ProgressBar rejects bad counts and steps', () => {
  const f = fake(false);
  assert.throws(() => new ProgressBar({ total: -1, epoch: 1, epochs: 1, stream: f.stream }), /ProgressBar: total must be an integer >= 0, got -1/);
  assert.throws(() => new ProgressBar({ total: 5, epoch: 3, epochs: 2, stream: f.stream }), /epochs must be an integer >= 3/);
  const bar = new ProgressBar({ total: 5, epoch: 1, epochs: 1, stream: f.stream });
  assert.throws(() => bar.update(6, {}), /step must be an integer in 0..5, got 6/);
});
