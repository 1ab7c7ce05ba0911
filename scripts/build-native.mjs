// Builds the native addon (build/Release/nabla_native.node) with node-gyp. Run by `npm install`
// / `npm ci` as the package's install script, and by `npm run build:native`.
//
// It never fails an install: when the build cannot be done (no C compiler, python3 or make; an
// unsupported platform) it prints why and what to run later, and nabla runs on its JS kernels.
// `--strict` (for CI) turns a failed build into a failed command.
//
// Node's headers come from the running Node's own installation when it ships them
// (<prefix>/include/node), so node-gyp does not download anything; otherwise node-gyp fetches
// them as usual.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const strict = process.argv.includes('--strict');

function giveUp(why) {
  console.warn(`nabla: the native addon was not built (${why}).`);
  console.warn('nabla: it will run on its JavaScript kernels. To build the fast kernels later, install a C compiler, python3 and make, then run `npm rebuild nabla` (or `npm run build:native` in a checkout).');
  process.exit(strict ? 1 : 0);
}

if (process.env.NABLA_SKIP_NATIVE_BUILD) giveUp('NABLA_SKIP_NATIVE_BUILD is set');

const args = ['rebuild'];
const prefix = dirname(dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}

// npm passes the path of its bundled node-gyp; outside npm, use one on PATH.
const bundled = process.env.npm_config_node_gyp;
const r = bundled && existsSync(bundled)
  ? spawnSync(process.execPath, [bundled, ...args], { stdio: 'inherit' })
  : spawnSync('node-gyp', args, { stdio: 'inherit', shell: process.platform === 'win32' });

if (r.error) giveUp(`node-gyp could not be started: ${r.error.message}`);
if (r.status !== 0) giveUp(`node-gyp exited with status ${r.status}; its messages are above`);
console.log('nabla: native kernels built (build/Release/nabla_native.node)');
