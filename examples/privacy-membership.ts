// What differential privacy buys against membership inference (Yeom et al. 2018's loss-threshold
// attack): a network deliberately overfitted on 500 Fashion-MNIST images, with and without DP-SGD.
// Members: the 500 training images; non-members: the next 500 images of the same file (never
// trained on). The attack's AUC is 0.5 when the losses give nothing away.
// Run: npx tsx examples/privacy-membership.ts   (needs the Debian package dataset-fashion-mnist)
import * as nb from '../src/index.js';
const { Dense } = nb.layers;

const n = 500;
// the plain run trains until it has memorised its 500 images; the private one spends its ε over fewer, gentler steps
const PLAIN = { epochs: 100, lr: 1e-3 }, PRIVATE = { epochs: 20, lr: 0.1 };
const { train } = await nb.datasets.fashionMnist();
const members: [nb.Tensor, nb.Tensor] = [nb.slice(train.x, [[0, n]]), nb.slice(train.y, [[0, n]])];
const nonMembers: [nb.Tensor, nb.Tensor] = [nb.slice(train.x, [[n, 2 * n]]), nb.slice(train.y, [[n, 2 * n]])];
const mlp = () => new nb.Sequential([new Dense(256, { activation: 'tanh' }), new Dense(128, { activation: 'tanh' }), new Dense(10, { activation: 'softmax' })]);

for (const priv of [false, true]) {
  nb.manualSeed(0);
  const model = mlp();
  model.compile({
    optimizer: priv ? new nb.optim.SGD({ learningRate: PRIVATE.lr }) : new nb.optim.Adam({ learningRate: PLAIN.lr }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
    ...(priv ? { privacy: { targetEpsilon: 3, delta: 1e-5, maxGradNorm: 1 } } : {}),
  });
  const t0 = performance.now();
  const h = await model.fit(members[0], members[1], { epochs: priv ? PRIVATE.epochs : PLAIN.epochs, batchSize: 50, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  const trainAcc = (await model.evaluate(members[0], members[1]))['accuracy']!;
  const otherAcc = (await model.evaluate(nonMembers[0], nonMembers[1]))['accuracy']!;
  const attack = nb.privacy.membershipInference(model, members, nonMembers);
  const eps = priv ? `ε = ${h.history['epsilon']!.at(-1)!.toFixed(3)} (δ = 1e-5)` : 'no privacy';
  console.log(`${priv ? 'DP-SGD' : 'plain '}: ${eps}; accuracy on members ${(100 * trainAcc).toFixed(1)} %, on non-members ${(100 * otherAcc).toFixed(1)} %; ` +
    `mean loss ${attack.memberLoss.toFixed(3)} vs ${attack.nonMemberLoss.toFixed(3)}; attack AUC ${attack.auc.toFixed(3)}, advantage ${attack.advantage.toFixed(3)} (${seconds.toFixed(0)} s)`);
}
