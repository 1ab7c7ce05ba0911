"""PyTorch's workloads as a standalone script: the check on the suite's PyTorch worker (issue #17).

Each call is a fresh process that does what a PyTorch user's own script would: set the thread
count once, build the data and the model, warm up, and time REPS calls of the workload in a plain
loop: no JSON pipe, no other workload set up before it, no per-call thread setting, nothing else
alive in the process. The training loops are written here on purpose, apart from the worker's:
`zero_grad(set_to_none=True)` and no `.item()` per step, the way PyTorch's own tuning guide
writes them, so a handicap in the worker's loop shows up as a gap between the two. The models
and the data come from the same definitions as the worker's (they are the workload, not the
harness).

Usage (bench/run.ts --standalone starts it once per round; by hand it is):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 \
      bench/peers/standalone_torch.py WORKLOAD 'PARAMS_JSON' REPS
Prints one JSON line: {"seconds": S, "minorPageFaults": F} for the REPS timed calls together.
bench/run.ts starts it with the worker's environment (PEER_COMMANDS.torch in peers.ts: the
OpenMP OpenBLAS and the malloc tunables); run by hand without GLIBC_TUNABLES to see what glibc's
default malloc costs PyTorch.
"""
import json
import math
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import audio_models  # noqa: E402
import char_gpt  # noqa: E402
import text_models  # noqa: E402
import torch_worker  # noqa: E402  (model definitions only: importing it starts no loop)


def epochs(model, x, y, batch, shuffle, optimizer):
    """One pass over (x, y) per call, written the way PyTorch's tuning guide writes a loop."""
    rows = x.shape[0]

    def epoch():
        order = torch.randperm(rows) if shuffle else None
        for i in range(0, rows, batch):
            idx = order[i : i + batch] if shuffle else slice(i, i + batch)
            optimizer.zero_grad(set_to_none=True)
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            optimizer.step()

    return epoch


def image_training(p, make_data, make_model, make_optimizer):
    batch, x, y = make_data(p)  # the worker's seeded data: the workload, not the harness
    model = make_model()
    opt = make_optimizer(model.parameters())
    epochs(model, x[: 2 * batch], y[: 2 * batch], batch, True, opt)()  # warm-up
    return epochs(model, x, y, batch, True, opt)


def adam(params):
    return torch.optim.Adam(params, lr=1e-3)


def text_training(p, make):
    torch.manual_seed(0)
    batch = p["batch"]
    x, y = text_models.text_rows(p["steps"] * batch, p["length"], p["vocab"])
    model = make(p["vocab"])
    opt = adam(model.parameters())
    epochs(model, x[: 2 * batch], y[: 2 * batch], batch, False, opt)()
    return epochs(model, x, y, batch, False, opt)


def char_gpt_run(p):
    torch.manual_seed(0)
    model = char_gpt.GPT(p["vocab"], p["context"], p["layers"], p["heads"], p["embd"])
    opt = char_gpt.make_optimizer(model, 1e-3)
    x = torch.randint(p["vocab"], (p["batch"], p["context"]))
    y = torch.randint(p["vocab"], (p["batch"], p["context"]))

    def step():
        opt.zero_grad(set_to_none=True)
        model(x, y).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(3):
        step()

    def run():
        for _ in range(p["steps"]):
            step()

    return run


def audio_crnn_run(p):
    torch.manual_seed(0)
    batch, samples = p["batch"], p["samples"]
    lengths = [audio_models.clip_length(b, samples) for b in range(batch)]
    keep = torch.stack([(torch.arange(samples) < n).float() for n in lengths])
    wave = audio_models.clips(batch, samples, p["sampleRate"]) * keep
    frames = torch.tensor([math.ceil(math.ceil(((n - p["nFft"]) // p["hop"] + 1) / 2) / 2) for n in lengths])
    labels = [audio_models.clip_labels(b) for b in range(batch)]
    targets = torch.tensor([c for label in labels for c in label])
    target_lengths = torch.tensor([len(label) for label in labels])
    model = audio_models.Crnn(p)
    opt = adam(model.parameters())

    def step():
        opt.zero_grad(set_to_none=True)
        log_probs = F.log_softmax(model(wave, frames), -1).transpose(0, 1)
        F.ctc_loss(log_probs, targets, frames, target_lengths, blank=0, reduction="mean").backward()
        opt.step()

    step()
    step()
    return step


def sgemm(p):
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(p["n"], p["n"], generator=g), torch.randn(p["n"], p["n"], generator=g)
    return lambda: torch.mm(a, b)


def add(p):
    a, b = torch.randn(p["n"]), torch.randn(p["n"])
    return lambda: a + b


def overhead(p):
    a = torch.randn(16, requires_grad=p["autograd"])
    b = torch.randn(16, requires_grad=p["autograd"])

    def run():
        for _ in range(p["count"]):
            a + b

    return run


WORKLOADS = {
    "sgemm": sgemm,
    "add": add,
    "overhead": overhead,
    "mlp": lambda p: image_training(p, torch_worker._mlp_rows, torch_worker.mlp_model, adam),
    "cnn": lambda p: image_training(p, torch_worker._image_batches, torch_worker.cnn_model, adam),
    "dp_sgd": lambda p: image_training(p, torch_worker._image_batches, torch_worker.dp_cnn_model, lambda params: torch.optim.SGD(params, lr=0.5)),
    "char_gpt": char_gpt_run,
    "text_cnn": lambda p: text_training(p, text_models.KimCNN),
    "text_bilstm": lambda p: text_training(p, text_models.BiLSTM),
    "audio_mel": audio_models.audio_mel,  # one no_grad call of torchaudio's transforms: no loop to write
    "audio_crnn": audio_crnn_run,
}


def main():
    name, params, reps = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
    if name not in WORKLOADS:
        sys.exit("standalone_torch.py: no workload %r (there are %s)" % (name, ", ".join(sorted(WORKLOADS))))
    if "threads" in params:
        torch.set_num_threads(int(params["threads"]))
    call = WORKLOADS[name](params)
    call()  # warm-up
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    t = time.perf_counter()
    for _ in range(reps):
        call()
    seconds = time.perf_counter() - t
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    sys.__stdout__.write(json.dumps({"seconds": seconds, "minorPageFaults": faults}) + "\n")


if __name__ == "__main__":
    main()
