// Run by fft-native.test.ts in a child process with NABLA_KERNEL set: prints one JSON line with the
// SIMD level and the native rfft and stftPower of fixed inputs (fftInputs), as arrays of numbers.
import { nativeBackend, nativeKernelInfo } from '../../src/backend/index.js';
import { fftInputs } from './fft-inputs.js';

const native = nativeBackend({ minElements: 0, minGemm: 0 })!;
const { x, n, batch, idx, frames, length, window } = fftInputs();
const spec = new Float32Array(2 * batch * (n / 2 + 1));
native.rfft(x, 0, batch, n, spec);
const power = new Float32Array(frames * (n / 2 + 1));
native.stftPower(x, 0, 1, length, frames, n, idx, window, 2, 1, null, 0, power);
const odd = new Float32Array(2 * 3 * 188);
native.rfft(x, 0, 3, 375, odd);
console.log(JSON.stringify({ simd: nativeKernelInfo()?.simd, rfft: Array.from(spec), stftPower: Array.from(power), odd: Array.from(odd) }));
