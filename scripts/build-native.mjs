// Builds the native addon (build/Release/nabla_native.node) with node-gyp and copies it to
// prebuilds/<platform>-<arch>/, the copy the package ships. Run by `npm install` / `npm ci` in a
// checkout and by `npm pack` (the `prepare` script), and by `npm run build:native`.
//
// Installing the package runs nothing: its prebuilt addon loads as it is, and on a platform it has
// none for nabla runs on its JS kernels and says once how to build one (this script, through
// `npm explore nabla -- npm run build:native`). See README, "Use nabla in your project".
//
// It never fails `prepare`: when the build cannot be done (no C compiler, python3 or make; an
// unsupported platform) it prints why and what to run later, and nabla runs on its JS kernels.
// `--strict` (`npm run build:native`) always rebuilds and turns a failed build into a failed
// command; without it an addon newer than every native source is kept as it is.
//
// Node's headers come from the running Node's own installation when it ships them
// (<prefix>/include/node), so node-gyp does not download anything; otherwise node-gyp fetches
// them as usual.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const strict = process.argv.includes('--strict');
const built = join(root, 'build', 'Release', 'nabla_native.node');
const prebuilt = join(root, 'prebuilds', `${process.platform}-${process.arch}`);

function giveUp(why) {
  // a stale copy would ship kernels older than the sources
  rmSync(prebuilt, { recursive: true, force: true });
  console.warn(`nabla: the native addon was not built (${why}).`);
  console.warn('nabla: it will run on its JavaScript kernels. To build the fast kernels later, install a C compiler, python3 and make, then run `npm run build:native`.');
  process.exit(strict ? 1 : 0);
}

function ship() {
  mkdirSync(prebuilt, { recursive: true });
  copyFileSync(built, join(prebuilt, 'nabla_native.node'));
  console.log(`nabla: native kernels in build/Release/nabla_native.node, copied to prebuilds/${process.platform}-${process.arch}/`);
}

/** Whether the addon was built after the last change to any of its sources. */
function upToDate() {
  if (!existsSync(built)) return false;
  const sources = [join(root, 'binding.gyp'), ...readdirSync(join(root, 'native')).map((f) => join(root, 'native', f))];
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  return statSync(built).mtimeMs > newest;
}

if (process.env.NABLA_SKIP_NATIVE_BUILD) giveUp('NABLA_SKIP_NATIVE_BUILD is set');
if (!strict && upToDate()) {
  ship();
  process.exit(0);
}

const args = ['rebuild'];
const prefix = dirname(dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}

// npm passes the path of its bundled node-gyp; outside npm, use one on PATH.
const bundled = process.env.npm_config_node_gyp;
const r = bundled && existsSync(bundled)
  ? spawnSync(process.execPath, [bundled, ...args], { stdio: 'inherit', cwd: root })
  : spawnSync('node-gyp', args, { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });

if (r.error) giveUp(`node-gyp could not be started: ${r.error.message}`);
if (r.status !== 0) giveUp(`node-gyp exited with status ${r.status}; its messages are above`);
ship();
