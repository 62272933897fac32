"""Training throughput of the default U-Net on this machine, for both data presets.

    .venv/bin/python bench/train_throughput.py            # writes its section of bench/RESULTS.md

For each preset: clips per second of full training steps (DSM loss under the VP SDE, backward, gradient
clipping, Adam, EMA), the peak resident memory of the process, and the time of one epoch over the
chorale training set (measured on the real data loader, augmentation included)."""
import datetime, resource, time

import torch

from pianodiff.data import DEFAULT, PAPER, load_chorales, make_loader
from pianodiff.score import dsm_loss
from pianodiff.sde import VPSDE
from pianodiff.train import _ema_update, build_model
from pianodiff.unet import UNetConfig, count_parameters
import copy

from _results import machine, write_section


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(cfg, steps: int = 10, batch: int = 32) -> dict:
    torch.manual_seed(0)
    sde, model = VPSDE(), build_model(UNetConfig(), VPSDE())
    ema = copy.deepcopy(model).requires_grad_(False)
    opt = torch.optim.Adam(model.parameters(), lr=2e-4)
    def step(x):
        loss = dsm_loss(model, sde, x)
        opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step()
        _ema_update(ema, model, 0.999)
    x = torch.randn(batch, 1, cfg.n_pitches, cfg.clip_frames)
    step(x)  # warm-up
    start = time.perf_counter()
    for _ in range(steps): step(x)
    per_step = (time.perf_counter() - start) / steps
    train = load_chorales('train', cfg, progress=False)
    start = time.perf_counter()
    for x in make_loader(train, batch, seed=0): step(x)
    epoch = time.perf_counter() - start
    return {'clips_per_s': batch / per_step, 'step_ms': per_step * 1000, 'epoch_s': epoch, 'train_clips': len(train),
            'params': count_parameters(model), 'peak_mb': peak_mb()}


if __name__ == '__main__':
    lines = [f"Training throughput ({datetime.date.today()})\n",
             f"Machine: {machine()}; default UNetConfig; batch 32; VP SDE; Adam + clipping + EMA per step.\n",
             "| preset | roll | parameters | ms / step | clips / s | one epoch of the chorales (train clips) | peak memory (process) |",
             "|---|---|---|---|---|---|---|"]
    for name, cfg in [('paper', PAPER), ('default', DEFAULT)]:
        r = bench(cfg)
        lines.append(f"| {name} | {cfg.n_pitches} x {cfg.clip_frames} | {r['params']:,} | {r['step_ms']:.0f} | {r['clips_per_s']:.0f} | "
                     f"{r['epoch_s']:.1f} s ({r['train_clips']} clips) | {r['peak_mb']:.0f} MB |")
        print(lines[-1], flush=True)
    lines.append("\nPeak memory is the process's maximum resident set size so far (ru_maxrss), so the second row includes the first.")
    write_section('Training throughput', '\n'.join(lines))
