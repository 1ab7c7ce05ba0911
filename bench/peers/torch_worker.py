"""PyTorch peer of nabla's benchmark suite.

Run by /usr/bin/python3 with LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp, so that
Debian's PyTorch loads the OpenMP build of OpenBLAS (the pthread build fights PyTorch's own OpenMP
threads); bench/peers/peers.ts starts it that way and info() reports what was really loaded.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import worker  # noqa: E402

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError as e:
    worker._reply({"ok": False, "error": "%s; install it with apt-get install -y python3-torch" % e})
    sys.exit(1)

torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # loads the BLAS, so info() sees it
_blas = worker.openblas()


_threads = [None]


def set_threads(n):
    """Sets PyTorch's and OpenBLAS's thread counts, only when they change: re-setting them before
    every sample, as the worker once did, left its 2-thread 128x128 products at 4-16 GFLOP/s against
    89 in a fresh process (bench/README.md; where inside OpenMP or OpenBLAS the time goes was not
    traced)."""
    if _threads[0] == n:
        return
    _threads[0] = n
    torch.set_num_threads(n)
    if _blas is not None:
        _blas.openblas_set_num_threads(n)


def info():
    return {
        "version": "PyTorch %s, Python %s" % (torch.__version__, sys.version.split()[0]),
        "blas": worker.blas_summary(),
        "threads": "torch.set_num_threads per case (default here: %d)" % torch.get_num_threads(),
    }


def sgemm(p):
    g = torch.Generator().manual_seed(0)
    a = torch.randn(p["n"], p["n"], generator=g)
    b = torch.randn(p["n"], p["n"], generator=g)
    return lambda: torch.mm(a, b)


def add(p):
    a = torch.randn(p["n"])
    b = torch.randn(p["n"])
    return lambda: torch.add(a, b)


def overhead(p):
    a = torch.randn(16, requires_grad=p["autograd"])
    b = torch.randn(16, requires_grad=p["autograd"])
    count = p["count"]

    def step():
        for _ in range(count):
            torch.add(a, b)

    return step


def _trainer(model, x, y, batch, shuffle, make_optimizer=lambda params: torch.optim.Adam(params, lr=1e-3)):
    """One pass over (x, y) in batches: forward, cross-entropy from logits, backward, optimizer step (Adam 1e-3 by default)."""
    opt = make_optimizer(model.parameters())
    rows = x.shape[0]

    def epoch():
        order = torch.randperm(rows) if shuffle else torch.arange(rows)
        for i in range(0, rows, batch):
            idx = order[i : i + batch]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()

    return epoch


def mlp_model():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def cnn_model():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def dp_cnn_model():
    """The private recipe's CNN: tanh, 'same' padding of the first strided conv written out (3 each side, as TensorFlow pads it)."""
    return nn.Sequential(
        nn.ZeroPad2d(3), nn.Conv2d(1, 16, 8, stride=2), nn.Tanh(), nn.MaxPool2d(2, stride=1),
        nn.Conv2d(16, 32, 4, stride=2), nn.Tanh(), nn.MaxPool2d(2, stride=1),
        nn.Flatten(), nn.Linear(32 * 4 * 4, 32), nn.Tanh(), nn.Linear(32, 10),
    )


def _mlp_rows(p):
    """The seeded set-up of the seed-MLP workload: batch size and (x [rows, 784], y)."""
    torch.manual_seed(0)
    xs, ys = worker.fashion_mnist_rows(p["data"], p["rows"], np)
    return p["batch"], torch.from_numpy(xs), torch.from_numpy(ys)


def mlp(p):
    batch, x, y = _mlp_rows(p)
    model = mlp_model()
    _trainer(model, x[: 4 * batch], y[: 4 * batch], batch, True)()  # warm-up
    return _trainer(model, x, y, batch, True)


def _image_batches(p):
    """The seeded set-up of the image workloads: batch size and (x [rows, 1, 28, 28], y) for `steps` batches."""
    torch.manual_seed(0)
    batch = p["batch"]
    rows = p["steps"] * batch
    xs, ys = worker.fashion_mnist_rows(p["data"], rows, np)
    return batch, torch.from_numpy(xs).reshape(rows, 1, 28, 28), torch.from_numpy(ys)


def cnn(p):
    batch, x, y = _image_batches(p)
    model = cnn_model()
    _trainer(model, x[: 2 * batch], y[: 2 * batch], batch, True)()  # warm-up
    return _trainer(model, x, y, batch, True)


def dp_sgd(p):
    """The plain (non-private) step of the private recipe's CNN (dp_cnn_model), SGD, softmax cross-entropy."""
    batch, x, y = _image_batches(p)
    model = dp_cnn_model()
    sgd = lambda params: torch.optim.SGD(params, lr=0.5)  # noqa: E731
    _trainer(model, x[: 2 * batch], y[: 2 * batch], batch, True, sgd)()  # warm-up
    return _trainer(model, x, y, batch, True, sgd)


import char_gpt  # noqa: E402  (the GPT workloads of issue #7)
import text_models  # noqa: E402  (the text workloads of issue #14)
import audio_models  # noqa: E402  (the speech workloads of issue #15)

if __name__ == "__main__":
    worker.serve({"sgemm": sgemm, "add": add, "overhead": overhead, "mlp": mlp, "cnn": cnn, "char_gpt": char_gpt.char_gpt_step,
                  "text_cnn": text_models.text_cnn, "text_bilstm": text_models.text_bilstm,
                  "audio_mel": audio_models.audio_mel, "audio_crnn": audio_models.audio_crnn, "dp_sgd": dp_sgd}, set_threads, info)
