"""The JSON-lines loop shared by the Python peers of nabla's benchmark suite.

A peer module defines its workloads as functions ``name(params) -> step`` (set-up, warm-up if it
wants, and a zero-argument callable that the loop times), a ``set_threads(n)`` function, and an
``info()`` dict; ``serve(...)`` then answers the commands of bench/peers/process-peer.ts:
hello, setup, run, drop. Protocol lines go to the real stdout; anything a library prints goes to
stderr.
"""
import ctypes
import json
import re
import sys
import time
import traceback

_PROTOCOL_OUT = sys.stdout
sys.stdout = sys.stderr


def loaded_libraries(pattern=r"blas|lapack|mkl|omp|openblas"):
    """Shared libraries matching `pattern` mapped into this process (from /proc/self/maps)."""
    found = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                parts = line.split()
                if len(parts) >= 6 and re.search(pattern, parts[-1]):
                    found.add(parts[-1])
    except OSError:
        return ["/proc/self/maps unreadable"]
    return sorted(found)


def openblas():
    """The loaded OpenBLAS as a ctypes library (for its thread count), or None."""
    for path in loaded_libraries(r"/libopenblas[^/]*$"):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_num_threads()
            return lib
        except (OSError, AttributeError):
            continue
    return None


def blas_summary():
    """One line naming the BLAS in use: the OpenBLAS file and its build config, or the libraries seen."""
    lib = openblas()
    libs = loaded_libraries()
    blas_files = [p for p in libs if re.search(r"blas", p)]
    if lib is not None:
        try:
            lib.openblas_get_config.restype = ctypes.c_char_p
            config = lib.openblas_get_config().decode()
        except AttributeError:
            config = "OpenBLAS"
        return "%s, %s" % (config, ", ".join(loaded_libraries(r"/libopenblas[^/]*$")))
    if blas_files:
        return "not OpenBLAS: " + ", ".join(blas_files)
    return "no BLAS library loaded"


def _reply(obj):
    _PROTOCOL_OUT.write(json.dumps(obj) + "\n")
    _PROTOCOL_OUT.flush()


def serve(workloads, set_threads, info):
    """Answers commands on stdin until it closes. `info` is a zero-argument function."""
    steps = {}
    for line in sys.stdin:
        try:
            msg = json.loads(line)
            cmd = msg.get("cmd")
            if cmd == "hello":
                _reply({"ok": True, "info": info()})
            elif cmd == "setup":
                name = msg["workload"]
                if name not in workloads:
                    raise ValueError("this peer has no workload %r (it has %s)" % (name, ", ".join(sorted(workloads))))
                params = msg["params"]
                if "threads" in params:
                    set_threads(int(params["threads"]))
                steps[msg["id"]] = (params, workloads[name](params))
                _reply({"ok": True})
            elif cmd == "run":
                params, step = steps[msg["id"]]
                if "threads" in params:
                    set_threads(int(params["threads"]))
                reps = int(msg["reps"])
                t = time.perf_counter()
                for _ in range(reps):
                    step()
                _reply({"ok": True, "seconds": time.perf_counter() - t})
            elif cmd == "drop":
                steps.pop(msg["id"], None)
                _reply({"ok": True})
            else:
                raise ValueError("unknown command %r" % (cmd,))
        except Exception as e:  # the suite reports it as this peer's failure on this case
            traceback.print_exc(file=sys.stderr)
            _reply({"ok": False, "error": "%s: %s" % (type(e).__name__, e)})


def fashion_mnist_rows(source, rows, np):
    """The first `rows` training images (float32 [rows, 784] in [0, 1]) and labels (int64), or seeded random ones."""
    import gzip
    import os

    if source == "random":
        rng = np.random.default_rng(0)
        return rng.random((rows, 784), dtype=np.float32), rng.integers(0, 10, rows)

    def read(name, header):
        path = os.path.join(source, name)
        opener = gzip.open if os.path.exists(path + ".gz") else open
        with opener(path + ".gz" if os.path.exists(path + ".gz") else path, "rb") as f:
            return np.frombuffer(f.read(), dtype=np.uint8, offset=header)

    x = read("train-images-idx3-ubyte", 16).reshape(-1, 784)[:rows].astype(np.float32) / 255
    y = read("train-labels-idx1-ubyte", 8)[:rows].astype(np.int64)
    return x, y
