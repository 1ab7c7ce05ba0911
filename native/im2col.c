/* Sliding-window kernels over channels-last [N, H, W, C] images: im2col (patch extraction),
 * col2im (its adjoint) and max pooling (maxima and their arg-max in one pass). Output rows (or images, for col2im,
 * whose windows overlap) are shared out among the pool's threads. */
#include <math.h>
#include <string.h>
#include "movement.h"

#define MAXPOOL_BLOCK 64

typedef struct {
  const nb_window *w;
  const void *x;
  const long *xs;
  double pad;
  void *out;
  nb_type type;
  void *values; /* max pooling: each window's maximum too, or NULL */
} window_job;

#define T float
#define FN(name) name##_f32
#include "im2col.inc"
#undef T
#undef FN

#define T double
#define FN(name) name##_f64
#include "im2col.inc"
#undef T
#undef FN

/* Work per chunk handed to a thread: about this many elements written. */
#define GRAIN_ELEMS (1L << 14)

static void im2col_task(void *arg, long b, long e) {
  const window_job *j = arg;
  if (j->type == T_F32) im2col_rows_f32(j, b, e);
  else im2col_rows_f64(j, b, e);
}

void nb_im2col(nb_type type, const void *x, const long *xs, const nb_window *w, double pad, void *out) {
  window_job j = {w, x, xs, pad, out, type, NULL};
  long rows = w->batch * w->outH, rowLen = w->outW * w->kernelH * w->kernelW * w->channels;
  nb_parallel_for(im2col_task, &j, rows, nb_grain(rows, rowLen, GRAIN_ELEMS, 0));
}

static void col2im_task(void *arg, long b, long e) {
  const window_job *j = arg;
  if (j->type == T_F32) col2im_images_f32(j, b, e);
  else col2im_images_f64(j, b, e);
}

void nb_col2im(nb_type type, const void *cols, const nb_window *w, void *out) {
  window_job j = {w, cols, NULL, 0, out, type, NULL};
  long per = w->outH * w->outW * w->kernelH * w->kernelW * w->channels;
  nb_parallel_for(col2im_task, &j, w->batch, nb_grain(w->batch, per, GRAIN_ELEMS, 0));
}

static void maxpool_task(void *arg, long b, long e) {
  const window_job *j = arg;
  if (j->type == T_F32) maxpool_rows_f32(j, b, e);
  else maxpool_rows_f64(j, b, e);
}

void nb_maxpool_indices(nb_type type, const void *x, const nb_window *w, int32_t *out, void *values) {
  window_job j = {w, x, NULL, 0, out, type, values};
  long rows = w->batch * w->outH, per = w->outW * w->kernelH * w->kernelW * w->channels;
  nb_parallel_for(maxpool_task, &j, rows, nb_grain(rows, per, GRAIN_ELEMS, 0));
}
