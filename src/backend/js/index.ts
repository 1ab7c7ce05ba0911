import type { Backend } from '../backend.js';
import { attentionBackward, attentionForward } from './attention.js';
import { copy } from './copy.js';
import { jsFused } from './fused.js';
import { jsFft } from './fft.js';
import { binary, unary, where } from './elementwise.js';
import { gather, scatterAdd } from './gather.js';
import { gemm } from './gemm.js';
import { batchNormBackward, batchNormForward, batchNormStats } from './batchnorm.js';
import { col2im, im2col, maxPoolIndices } from './im2col.js';
import { scan } from './scan.js';
import { jsRecurrent } from './recurrent.js';
import { jsCtc } from './ctc.js';
import { argReduce, reduce } from './reduce.js';

/** The portable TypeScript kernels: always present, and the reference for every other backend. */
export const jsBackend: Backend = {
  ...jsFused,
  ...jsRecurrent,
  ...jsFft,
  ...jsCtc,
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
  maxPoolIndices,
  batchNormStats,
  batchNormForward,
  batchNormBackward,
  scan,
  attentionForward,
  attentionBackward,
};
