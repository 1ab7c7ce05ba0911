/* Data-movement kernels of the addon (movement.c, im2col.c, batchnorm.c) and their N-API registration
 * (addon_movement.c). As everywhere in the addon, the kernels trust their arguments: the
 * wrappers check every array access first. Strided operands are given as element strides with
 * the offset already applied to the data pointer. */
#ifndef NABLA_MOVEMENT_H
#define NABLA_MOVEMENT_H

#include <node_api.h>
#include "nabla.h"

#define NB_MAX_DIMS 16

/* Adds the movement functions (copy, gather, scatterAdd, where, argReduce, im2col, col2im,
 * maxPoolIndices) to the addon's exports; NULL on failure. Called once from addon.c's init. */
napi_value nb_movement_register(napi_env env, napi_value exports);

/* Element types the movement kernels see: the float types, plus raw 1-, 4- and 8-byte elements
 * for moves that never look at the values. */
typedef enum { M_F32 = 0, M_F64 = 1, M_I32 = 2, M_U8 = 3 } nb_mtype;
size_t nb_msize(nb_mtype t);

/* dst(i) = src(i) over an nd-dimensional shape; converts to a float dst from any type when the
 * types differ (other pairs must be equal). */
void nb_copy(nb_mtype st, const void *src, const long *sstrides, nb_mtype dt, void *dst, const long *dstrides,
             const long *shape, int nd);
/* out[(o*m + j)*inner + i] = x[(o*axis + idx[j])*inner + i] */
void nb_gather(size_t esize, const void *x, long outer, long axis, long inner, const int32_t *idx, long m, void *out);
/* out[(o*axis + idx[j])*inner + i] += g[(o*m + j)*inner + i] (float types) */
void nb_scatter_add(nb_type type, const void *g, long outer, long axis, long inner, const int32_t *idx, long m, void *out);
/* out(i) = cond(i) ? a(i) : b(i); out contiguous */
void nb_where(size_t esize, const uint8_t *cond, const long *cs, const void *a, const long *as, const void *b,
              const long *bs, const long *shape, int nd, void *out);
/* out[o*inner + i] = first index r of the max (op 0) or min (op 1) of x[(o*n + r)*inner + i]; NaN wins */
void nb_arg_reduce(int op, nb_type type, const void *x, long outer, long n, long inner, int32_t *out);
/* out[o*inner + i] = sum/max/min/prod over r of x[(o*n + r)*inner + i] (sums in double) */
void nb_reduce_middle(int op, nb_type type, const void *x, long outer, long n, long inner, void *out);

/* A 2-D window over an [N, H, W, C] image (Window2d in src/backend/backend.ts). */
typedef struct {
  long batch, height, width, channels, outH, outW, kernelH, kernelW;
  long strideH, strideW, dilationH, dilationW, padTop, padLeft;
} nb_window;

/* out [N, outH, outW, kH, kW, C] (contiguous) = patches of x (strides sn, sh, sw, sc); pad outside */
void nb_im2col(nb_type type, const void *x, const long *xs, const nb_window *w, double pad, void *out);
/* out [N, H, W, C] (contiguous, pre-filled) += every patch entry of cols at the pixel it reads */
void nb_col2im(nb_type type, const void *cols, const nb_window *w, void *out);
/* out [N, outH, outW, C] = flat index (into the contiguous x [N, H, W, C]) of each window's
 * first maximum per channel; padding never wins; a NaN wins. values (x's type, or NULL) gets
 * the maxima themselves, in the same pass. */
void nb_maxpool_indices(nb_type type, const void *x, const nb_window *w, int32_t *out, void *values);

/* Batch normalization over the rows of a contiguous [rows, cols] x (batchnorm.c); the
 * per-column statistics and coefficients are double arrays; -1 when out of memory. */
int nb_bn_stats(nb_type type, const void *x, long rows, long cols, double *mean, double *var);
/* out = (x − mean)·scale + beta (beta of x's type, or NULL) */
int nb_bn_forward(nb_type type, const void *x, long rows, long cols, const double *mean, const double *scale, const void *beta, void *out);
/* dx, dgamma = Σ g·x̂, dbeta = Σ g for y = x̂·gamma + beta with x̂ = (x − mean)·rstd the batch's */
int nb_bn_backward(nb_type type, const void *x, const void *g, long rows, long cols, const double *mean, const double *rstd,
                   const double *gamma, void *dx, double *dgamma, double *dbeta);

#endif
