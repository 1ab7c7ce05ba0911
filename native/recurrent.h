/* The fused recurrent step kernels (recurrent.c) and their N-API registration
 * (addon_recurrent.c): one time step's gate math for a batch of rows, forward and backward, as
 * src/backend/js/recurrent.ts (the reference; see src/backend/recurrent-kernels.ts for the
 * layouts). The recurrent matmul h·U is not in here: the caller runs it through gemm. */
#ifndef NABLA_RECURRENT_H
#define NABLA_RECURRENT_H

#include <node_api.h>
#include "nabla.h"

/* Adds the recurrent functions to the addon's exports; NULL on failure. Called once from addon.c. */
napi_value nb_recurrent_register(napi_env env, napi_value exports);

/* Cells, in the order of the codes in src/backend/native/recurrent.ts. */
enum { RNN_SIMPLE, RNN_LSTM, RNN_GRU };

/* The cell, its activations (A_LINEAR, A_RELU, A_SIGMOID or A_TANH of fused.h), rows and units. */
typedef struct {
  int cell, act, ract;
  long rows, units;
} nb_rnn_geometry;

/* One step forward; arrays already offset. mask (one 0/1 per row) may be NULL; rec_bias is the
 * GRU's (required, zeros without a bias) and unused by the other cells. */
void nb_rnn_step_forward(nb_type t, const nb_rnn_geometry *g, const void *xp, const void *rec, const void *rec_bias,
                         const void *prev, const void *mask, void *next, void *saved);
/* One step backward; d_state is read and replaced; d_rec may be NULL (SimpleRNN, LSTM). */
void nb_rnn_step_backward(nb_type t, const nb_rnn_geometry *g, void *d_state, const void *saved, const void *prev,
                          const void *mask, void *dxp, void *d_rec);

#endif
