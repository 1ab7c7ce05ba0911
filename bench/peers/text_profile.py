"""PyTorch's side of bench/text-profile.ts: times the text workloads of text_models.py alone and
prints each pass's sentences/s by the wall clock and per CPU second (time.process_time, all of the
process's threads), the steadier figure on a busy machine.

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 \\
        bench/peers/text_profile.py text_cnn|text_bilstm THREADS PASSES"""
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import text_models  # noqa: E402

name, threads, passes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
steps, batch = 20, 64
epoch = getattr(text_models, name)({"steps": steps, "batch": batch, "length": 40, "vocab": 16000})
for i in range(passes):
    t0, c0 = time.perf_counter(), time.process_time()
    epoch()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"torch {name} {threads} thread(s), pass {i + 1}: {steps * batch / wall:.0f} sentences/s (per CPU second: {steps * batch / cpu:.0f})")
