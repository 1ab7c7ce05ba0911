"""PyTorch side of the text workloads (bench/workloads/text.ts): Kim's CNN and a BiLSTM trained
on the same SST-2-like batches as nabla, made by the formula of bench/workloads/text-data.ts.

PyTorch at its best for each: the CNN in PyTorch's own NCL layout, the BiLSTM on packed
sequences (cuDNN-style nn.LSTM, which skips the padded steps nabla computes and masks)."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def text_rows(rows, length, vocab):
    """The sentences of text-data.ts: row r has 8 + (r*7919 mod 33) tokens, label r mod 2."""
    ids = torch.zeros(rows, length, dtype=torch.long)
    for r in range(rows):
        n = min(length, 8 + (r * 7919) % 33)
        for t in range(n):
            ids[r, t] = 1 + ((r * length + t) * 2654435761 % 4294967296) % (vocab - 1)
    return ids, torch.arange(rows) % 2


class KimCNN(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embedding = nn.Embedding(vocab, 128)
        self.convs = nn.ModuleList([nn.Conv1d(128, 100, w) for w in (3, 4, 5)])
        self.head = nn.Linear(300, 2)

    def forward(self, ids):
        e = self.embedding(ids).transpose(1, 2)  # [B, 128, L]
        return self.head(torch.cat([F.relu(c(e)).amax(2) for c in self.convs], 1))


class BiLSTM(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embedding = nn.Embedding(vocab, 128, padding_idx=0)
        self.lstm = nn.LSTM(128, 128, batch_first=True, bidirectional=True)
        self.head = nn.Linear(256, 2)

    def forward(self, ids):
        lengths = (ids != 0).sum(1)
        packed = pack_padded_sequence(self.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
        out, _ = pad_packed_sequence(self.lstm(packed)[0], batch_first=True, padding_value=float("-inf"), total_length=ids.shape[1])
        return self.head(out.amax(1))


def _trainer(model, x, y, batch):
    """One pass over (x, y) in order: forward, cross-entropy from logits, backward, Adam step."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def epoch():
        for i in range(0, x.shape[0], batch):
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x[i : i + batch]), y[i : i + batch])
            loss.backward()
            opt.step()

    return epoch


def _workload(make):
    def setup(p):
        torch.manual_seed(0)
        batch = p["batch"]
        x, y = text_rows(p["steps"] * batch, p["length"], p["vocab"])
        model = make(p["vocab"])
        _trainer(model, x[: 2 * batch], y[: 2 * batch], batch)()  # warm-up
        return _trainer(model, x, y, batch)

    return setup


text_cnn = _workload(KimCNN)
text_bilstm = _workload(BiLSTM)
