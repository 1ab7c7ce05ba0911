"""PyTorch side of the speech workloads (bench/workloads/audio.ts): log-mel features with
torchaudio, and one CTC training step of the same small CRNN, on the waveforms and labels made by
the formulas of audio.ts.

PyTorch at its best: features under torch.no_grad with torchaudio's transforms (built once, so
the window and the filterbank are not recomputed per call); the CRNN in PyTorch's own NCL layout
for the convolutions and nn.GRU on packed sequences (it skips the padded frames); the thread
count is set per case by torch_worker.set_threads, with the OpenMP OpenBLAS loaded (the worker
reports which BLAS it really mapped)."""
import math

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

try:
    import torchaudio
except ImportError:  # reported by the workloads that need it
    torchaudio = None


def clips(batch, samples, sample_rate):
    """audio.ts's clips(): tone of 150 + 37·b Hz swelling at 3 Hz, plus a small ripple."""
    t = torch.arange(samples, dtype=torch.float64)
    s = t / sample_rate
    rows = []
    for b in range(batch):
        f = 150 + 37 * b
        rows.append(0.3 * (0.6 + 0.4 * torch.sin(2 * math.pi * 3 * s)) * torch.sin(2 * math.pi * f * s) + 0.01 * torch.sin(0.7 * t * t))
    return torch.stack(rows).float()


def clip_length(b, samples):
    return samples // 2 + (b * 1237) % (samples // 2 + 1)


def clip_labels(b):
    return [1 + (b * 3 + i * 7) % 10 for i in range(1 + b % 7)]


def _need_torchaudio():
    if torchaudio is None:
        raise RuntimeError("torchaudio is missing; install it with apt-get install -y python3-torchaudio")


def audio_mel(p):
    _need_torchaudio()
    x = clips(p["batch"], p["samples"], p["sampleRate"])
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=p["sampleRate"], n_fft=p["nFft"], hop_length=p["hop"], n_mels=p["nMels"])
    db = torchaudio.transforms.AmplitudeToDB()

    def call():
        with torch.no_grad():
            return db(mel(x))

    call()
    return call


class Crnn(nn.Module):
    def __init__(self, p):
        super().__init__()
        _need_torchaudio()
        self.mel = torchaudio.transforms.MelSpectrogram(sample_rate=p["sampleRate"], n_fft=p["nFft"], win_length=p["win"], hop_length=p["hop"], n_mels=p["nMels"], center=False)
        self.db = torchaudio.transforms.AmplitudeToDB()
        self.conv1 = nn.Conv1d(p["nMels"], p["filters"], 5, stride=2, padding=2)
        self.conv2 = nn.Conv1d(p["filters"], p["filters"], 5, stride=2, padding=2)
        self.rnn = nn.GRU(p["filters"], p["units"], batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * p["units"], p["classes"])

    def forward(self, wave, frames):
        x = self.db(self.mel(wave))  # [B, mels, T]: NCL as Conv1d wants
        x = F.relu(self.conv2(F.relu(self.conv1(x)))).transpose(1, 2)  # [B, T', C]
        packed = pack_padded_sequence(x, frames, batch_first=True, enforce_sorted=False)
        out, _ = pad_packed_sequence(self.rnn(packed)[0], batch_first=True, total_length=x.shape[1])
        return self.head(out)


def audio_crnn(p):
    torch.manual_seed(0)
    batch, samples = p["batch"], p["samples"]
    lengths = [clip_length(b, samples) for b in range(batch)]
    keep = torch.stack([(torch.arange(samples) < n).float() for n in lengths])
    wave = clips(batch, samples, p["sampleRate"]) * keep
    frames = torch.tensor([math.ceil(math.ceil(((n - p["nFft"]) // p["hop"] + 1) / 2) / 2) for n in lengths])
    labels = [clip_labels(b) for b in range(batch)]
    targets = torch.tensor([c for l in labels for c in l])
    target_lengths = torch.tensor([len(l) for l in labels])
    model = Crnn(p)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        logits = model(wave, frames)
        log_probs = F.log_softmax(logits, -1).transpose(0, 1)  # [T, B, C]
        loss = F.ctc_loss(log_probs, targets, frames, target_lengths, blank=0, reduction="mean")
        loss.backward()
        opt.step()

    step()
    step()
    return step
