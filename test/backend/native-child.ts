// Run by native.test.ts in a child process, with NABLA_BACKEND or NABLA_KERNEL set: prints one
// JSON line with the active backend, the kernel info, the GEMM suite's failures on the native
// backend (if asked with --gemm) and what was written to stderr before this point.
import * as nb from '../../src/index.js';
import { nativeBackend, nativeKernelInfo } from '../../src/backend/index.js';
import { gemmFailures } from './gemm-check.js';

const native = process.argv.includes('--gemm') ? nativeBackend({ minElements: 0, minGemm: 0 }) : undefined;
console.log(JSON.stringify({
  backend: nb.backend().name,
  info: nb.info(),
  kernel: nativeKernelInfo(),
  failures: native ? gemmFailures(native) : [],
}));
