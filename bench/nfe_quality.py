"""Quality against cost: music statistics of samples of the bundled chorale model, per sampler and NFE.

    .venv/bin/python bench/nfe_quality.py      # appends to bench/RESULTS.md, writes bench/nfe_quality.png

Statistics of binary rolls (midpoint rule, so nothing is tuned to the data), compared with the validation clips:
note density (fraction of cells sounding), polyphony (notes per sounding frame), and the L1 distance between
pitch histograms. The target of issue 6: the fast sampler at <= 50 NFE as close to the validation set as PC at
1000 NFE, on 64 clips each. The sweep uses 16 clips per point to stay within minutes on 2 CPU cores."""
import datetime, json, time
from pathlib import Path

import torch

from pianodiff.data import load_chorales
from pianodiff.sampling import sample, to_rolls
from pianodiff.train import load_pretrained


def stats(rolls: torch.Tensor, ref_hist: torch.Tensor | None = None) -> dict:
    "rolls [n, pitches, frames] in {0, 1}."
    per_frame = rolls.sum(1)
    hist = rolls.sum((0, 2)); hist = hist / hist.sum().clamp(min=1)
    out = {'density': rolls.mean().item(), 'polyphony': per_frame[per_frame > 0].mean().item() if (per_frame > 0).any() else 0.0}
    if ref_hist is not None: out['pitch_l1'] = (hist - ref_hist).abs().sum().item()
    return out, hist


if __name__ == '__main__':
    model = load_pretrained('chorales')
    val = load_chorales('validation', model.roll_cfg, progress=False)
    ref, ref_hist = stats(val.clips.float())
    rows = []
    def run(sampler, n, **kw):
        start = time.perf_counter()
        r = sample(model, sampler, n=n, seed=0, progress=False, **kw)
        s, _ = stats(to_rolls(r.x, model, 'midpoint'), ref_hist)
        rows.append({'sampler': sampler, 'n': n, 'nfe': r.nfe, 'seconds': time.perf_counter() - start, **kw, **s})
        print(json.dumps(rows[-1]), flush=True)
    run('pc', 64, steps=500)          # the reference: PC at its default 1000 NFE
    run('heun', 64, steps=25)         # the fast sampler at 49 NFE
    for steps in (5, 10, 50): run('heun', 16, steps=steps)
    for steps in (100, 250, 1000): run('em', 16, steps=steps)
    for steps in (50, 125): run('pc', 16, steps=steps)
    for tol in (1e-2, 1e-3): run('ode', 16, rtol=tol, atol=tol)
    from matplotlib.figure import Figure
    fig = Figure(figsize=(11, 3.2), dpi=90, layout='constrained')
    for ax, key, title in zip(fig.subplots(1, 3), ['density', 'polyphony', 'pitch_l1'],
                              ['note density', 'notes per sounding frame', 'pitch histogram L1 to validation']):
        for sampler, marker in [('em', 'o'), ('pc', 's'), ('ode', 'd'), ('heun', '^')]:
            pts = sorted((r['nfe'], r[key]) for r in rows if r['sampler'] == sampler and r['n'] == 16)
            if pts: ax.plot(*zip(*pts), marker + '-', label=sampler)
        for r in rows:
            if r['n'] == 64: ax.plot(r['nfe'], r[key], marker='*', ms=12, ls='', color='k')
        if key != 'pitch_l1': ax.axhline(ref[key], color='0.5', ls='--', label='validation')
        ax.set_xscale('log'); ax.set_xlabel('NFE'); ax.set_title(title, fontsize=10)
    fig.axes[0].legend(fontsize=8)
    fig.savefig(Path(__file__).with_name('nfe_quality.png'))
    lines = [f"\n## Quality against NFE, bundled chorale model ({datetime.date.today()})\n",
             f"Midpoint rule; validation set: density {ref['density']:.1%}, polyphony {ref['polyphony']:.2f}. "
             "Stars in bench/nfe_quality.png are the 64-clip runs.\n",
             "| sampler | clips | NFE | seconds | density | polyphony | pitch L1 |", "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['sampler']} | {r['n']} | {r['nfe']} | {r['seconds']:.1f} | {r['density']:.1%} | {r['polyphony']:.2f} | {r['pitch_l1']:.3f} |" for r in rows]
    with open(Path(__file__).with_name('RESULTS.md'), 'a') as f: f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))
