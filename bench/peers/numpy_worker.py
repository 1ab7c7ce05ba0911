"""NumPy peer of nabla's benchmark suite (run by /usr/bin/python3; see bench/README.md)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import worker  # noqa: E402

try:
    import numpy as np
except ImportError as e:
    worker._reply({"ok": False, "error": "%s; install it with apt-get install -y python3-numpy" % e})
    sys.exit(1)

np.ones((64, 64), np.float32) @ np.ones((64, 64), np.float32)  # loads the BLAS, so info() sees it
_blas = worker.openblas()


def set_threads(n):
    if _blas is not None:
        _blas.openblas_set_num_threads(n)


def info():
    return {
        "version": "NumPy " + np.__version__ + ", Python " + sys.version.split()[0],
        "blas": worker.blas_summary(),
        "threads": "OpenBLAS threads set per case" if _blas is not None else "BLAS threads not settable",
    }


def sgemm(p):
    n = p["n"]
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    return lambda: a @ b


def add(p):
    rng = np.random.default_rng(0)
    a = rng.standard_normal(p["n"], dtype=np.float32)
    b = rng.standard_normal(p["n"], dtype=np.float32)
    return lambda: a + b


worker.serve({"sgemm": sgemm, "add": add}, set_threads, info)
