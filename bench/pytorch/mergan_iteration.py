"""PyTorch reference for Mnemo's MeRGAN benchmark: the same 32x32 AC-GAN + WGAN-GP iteration as
src/Mnemo/Continual/MerganStep.cs (method jt): one generator step, then N critic steps with gradient penalty
and auxiliary-classifier loss. Same networks (official gan32_model shapes), batch, optimiser and data shape.

Prints one JSON line: {"seconds_per_iteration": median, ...}. Run by bench/Mnemo.Bench when PyTorch is present:
    python3 bench/pytorch/mergan_iteration.py --threads 2 --critic 5 --warmup 2 --repeats 5 [--device cuda]
Like Mnemo's engine, an iteration reads its last loss once (a host synchronisation per iteration, not per step), so on
a GPU the time is the iteration's, not its launch time.
"""
import argparse
import json
import os
import statistics
import sys
import time

# Debian's torch does its matrix products in OpenBLAS, whose own thread pool ignores torch.set_num_threads and
# oversubscribes the cores (measured: 10 s instead of 0.37 s per iteration); give it the same thread count.
if "--threads" in sys.argv:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", sys.argv[sys.argv.index("--threads") + 1])

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class ConditionalBatchNorm2d(nn.Module):
    """Batch statistics always (no running averages), then a per-class scale and offset."""

    def __init__(self, features, classes):
        super().__init__()
        self.scale = nn.Embedding(classes, features)
        self.offset = nn.Embedding(classes, features)
        nn.init.ones_(self.scale.weight)
        nn.init.zeros_(self.offset.weight)

    def forward(self, x, labels):
        h = F.batch_norm(x, None, None, training=True, eps=1e-5)
        return h * self.scale(labels)[:, :, None, None] + self.offset(labels)[:, :, None, None]


class Generator(nn.Module):
    def __init__(self, z_dim=128, classes=10, channels=1, dim=32):
        super().__init__()
        self.dim = dim
        self.input = nn.Linear(z_dim, 4 * 4 * 4 * dim)
        widths = [4 * dim, 2 * dim, dim]
        self.norms = nn.ModuleList(ConditionalBatchNorm2d(w, classes) for w in widths)
        outs = widths[1:] + [channels]
        self.deconvs = nn.ModuleList(
            nn.ConvTranspose2d(w, o, 5, stride=2, padding=2, output_padding=1) for w, o in zip(widths, outs))

    def forward(self, z, labels):
        h = self.input(z).view(-1, 4 * self.dim, 4, 4)
        for norm, deconv in zip(self.norms, self.deconvs):
            h = deconv(F.relu(norm(h, labels)))
        return torch.tanh(h)


class Critic(nn.Module):
    def __init__(self, classes=10, channels=1, dim=32):
        super().__init__()
        widths = [channels, dim, 2 * dim, 4 * dim]
        self.convs = nn.ModuleList(nn.Conv2d(widths[i], widths[i + 1], 5, stride=2, padding=2) for i in range(3))
        self.critic_head = nn.Linear(4 * 4 * 4 * dim, 1)
        self.class_head = nn.Linear(4 * 4 * 4 * dim, classes)

    def forward(self, x):
        h = x
        for conv in self.convs:
            h = F.leaky_relu(conv(h), 0.2)
        h = h.flatten(1)
        return self.critic_head(h).view(-1), self.class_head(h)


def gradient_penalty(critic, real, fake):
    alpha = torch.rand(real.shape[0], 1, 1, 1, device=real.device)
    x = (real + alpha * (fake - real)).requires_grad_(True)
    score, _ = critic(x)
    grad, = torch.autograd.grad(score.sum(), x, create_graph=True, retain_graph=True)
    return ((grad.flatten(1).square().sum(1).sqrt() - 1) ** 2).mean()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--critic", type=int, default=5)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--device", default="cpu", help="cpu or cuda[:N]")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    z_dim = 128
    g, d = Generator(z_dim).to(dev), Critic().to(dev)
    opt_g = torch.optim.Adam(g.parameters(), 1e-4, betas=(0.0, 0.9))
    opt_d = torch.optim.Adam(d.parameters(), 1e-4, betas=(0.0, 0.9))
    pixels = torch.randint(0, 256, (2000, 1, 32, 32), dtype=torch.uint8).to(dev)
    labels = (torch.arange(2000) % 10).to(dev)

    def real_batch():
        idx = torch.randint(0, 2000, (a.batch,), device=dev)
        return pixels.index_select(0, idx).float() / 127.5 - 1, labels.index_select(0, idx)

    def iteration():
        # Generator step (critic weights frozen for it, as in Mnemo).
        for q in d.parameters():
            q.requires_grad_(False)
        opt_g.zero_grad()
        _, y = real_batch()
        score, logits = d(g(torch.randn(a.batch, z_dim, device=dev), y))
        (-score.mean() + F.cross_entropy(logits, y)).backward()
        opt_g.step()
        for q in d.parameters():
            q.requires_grad_(True)
        for _ in range(a.critic):
            real, y = real_batch()
            with torch.no_grad():
                fake = g(torch.randn(a.batch, z_dim, device=dev), y)
            opt_d.zero_grad()
            real_score, real_logits = d(real)
            fake_score, _ = d(fake)
            loss = fake_score.mean() - real_score.mean() + 10 * gradient_penalty(d, real, fake) \
                + F.cross_entropy(real_logits, y)
            loss.backward()
            opt_d.step()
        loss.item()

    for _ in range(a.warmup):
        iteration()
    times = []
    for _ in range(a.repeats):
        t = time.perf_counter()
        iteration()
        times.append(time.perf_counter() - t)
    print(json.dumps({"seconds_per_iteration": statistics.median(times), "times": [round(t, 4) for t in times], "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "critic": a.critic, "batch": a.batch, "device": str(dev)}))


if __name__ == "__main__":
    main()
