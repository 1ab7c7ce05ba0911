import type { Backend } from '../backend.js';
import { copy } from './copy.js';
import { binary, unary, where } from './elementwise.js';
import { gather, scatterAdd } from './gather.js';
import { gemm } from './gemm.js';
import { col2im, im2col } from './im2col.js';
import { argReduce, reduce } from './reduce.js';

/** The portable TypeScript kernels: always present, and the reference for every other backend. */
export const jsBackend: Backend = {
  name: 'js',
  unary,
  binary,
  where,
  copy,
  reduce,
  argReduce,
  gemm,
  gather,
  scatterAdd,
  im2col,
  col2im,
};
