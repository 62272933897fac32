"""Quality against cost: music statistics of samples of the bundled chorale model, for every sampler and NFE.

    .venv/bin/python bench/nfe_quality.py           # ~35 min on 2 CPU cores
    .venv/bin/python bench/nfe_quality.py --smoke   # seconds: 2 clips, few steps, results in /tmp/nfe_quality_smoke

Writes bench/nfe_quality.json (read by the sampling chapter, nbs/06_sampling.ipynb, which draws the figures),
bench/nfe_quality.png and its section of bench/RESULTS.md.

Statistics of binary rolls by the midpoint rule (so nothing is tuned to the data), against the validation clips:
note density (fraction of cells sounding), polyphony (notes per sounding frame) and the L1 distance between pitch
histograms (each normalised to sum 1). The target of issue 6: a fast sampler at <= 50 NFE as close to the
validation set as PC at its default 1000 NFE, on at least 64 clips each. The comparison runs use 128 clips (two
seeds of 64) per sampler; the sweep 32 clips per point (seed 0). "As close" is decided per metric on the distance to
the validation value: the fast sampler passes a metric if its distance is at most PC's, or if the 95 % bootstrap
interval (over clips, 2000 resamples) of the difference of distances contains 0."""
import datetime, json, sys, tempfile, time
from pathlib import Path

import numpy as np
import torch

from _results import machine, write_section
from pianodiff.data import load_chorales
from pianodiff.sampling import sample, to_rolls
from pianodiff.train import load_pretrained

HERE = Path(__file__).parent
METRICS = ('density', 'polyphony', 'pitch_l1')


def stats(rolls: torch.Tensor, ref_hist: torch.Tensor | None = None) -> dict:
    "Statistics of binary rolls [n, pitches, frames]; `pitch_l1` against `ref_hist` when given."
    rolls = rolls.float()
    per_frame = rolls.sum(1)
    hist = rolls.sum((0, 2)); hist = hist / hist.sum().clamp(min=1)
    out = {'density': rolls.mean().item(),
           'polyphony': per_frame[per_frame > 0].mean().item() if (per_frame > 0).any() else 0.0, 'hist': hist.tolist()}
    if ref_hist is not None: out['pitch_l1'] = (hist - ref_hist).abs().sum().item()
    return out


def distances(rolls, ref, ref_hist):
    s = stats(rolls, ref_hist)
    return np.array([abs(s['density'] - ref['density']), abs(s['polyphony'] - ref['polyphony']), s['pitch_l1']])


def compare(fast, pc, ref, ref_hist, n_boot=2000, seed=0):
    "Per metric: distance of each to validation, the difference fast - pc and its 95 % bootstrap interval over clips."
    g = torch.Generator().manual_seed(seed)
    diffs = []
    for _ in range(n_boot):
        a, b = fast[torch.randint(len(fast), (len(fast),), generator=g)], pc[torch.randint(len(pc), (len(pc),), generator=g)]
        diffs.append(distances(a, ref, ref_hist) - distances(b, ref, ref_hist))
    lo, hi = np.percentile(np.array(diffs), [2.5, 97.5], axis=0)
    d_fast, d_pc = distances(fast, ref, ref_hist), distances(pc, ref, ref_hist)
    return {m: {'fast': float(d_fast[k]), 'pc': float(d_pc[k]), 'diff': float(d_fast[k] - d_pc[k]), 'ci': [float(lo[k]), float(hi[k])],
                'passes': bool(d_fast[k] <= d_pc[k] or lo[k] <= 0)} for k, m in enumerate(METRICS)}


if __name__ == '__main__':
    smoke = '--smoke' in sys.argv   # a quick run of the whole script, to check it before the long one
    if smoke:
        HERE = Path(tempfile.gettempdir()) / 'nfe_quality_smoke'; HERE.mkdir(exist_ok=True)
        import _results; _results.RESULTS = HERE / 'RESULTS.md'
    N, S = (1, 0.05) if smoke else (64, 1)   # clips per seed of the comparison; scale of the sweep's budgets
    torch.set_num_threads(2)
    model = load_pretrained('chorales')
    val = load_chorales('validation', model.roll_cfg, progress=False).clips.float()
    ref = stats(val); ref_hist = torch.tensor(ref['hist'])
    rows, rolls = [], {}

    def run(sampler, n, seeds=(0,), **kw):
        start, out, nfe = time.perf_counter(), [], None
        for seed in seeds:
            r = sample(model, sampler, n=n, seed=seed, progress=False, **kw)
            out.append(to_rolls(r.x, model, 'midpoint')); nfe = r.nfe
        out = torch.cat(out)
        rows.append({'sampler': sampler, 'clips': len(out), 'nfe': nfe, 'seconds': time.perf_counter() - start, 'settings': kw,
                     **stats(out, ref_hist)})
        print(json.dumps({k: v for k, v in rows[-1].items() if k != 'hist'}), flush=True)
        return out

    # the comparison: PC at its default 1000 NFE against both fast samplers at their defaults, 128 clips each
    rolls['pc'] = run('pc', N, seeds=(0, 1), **({'steps': 10} if smoke else {}))
    rolls['ancestral'] = run('ancestral', N, seeds=(0, 1))
    rolls['heun'] = run('heun', N, seeds=(0, 1))
    verdict = {name: compare(rolls[name], rolls['pc'], ref, ref_hist) for name in ('ancestral', 'heun')}
    # the sweep: every sampler over its budget, 32 clips per point
    n = max(1, N // 2)
    for steps in (4, 8, 16, 32): run('ancestral', n, steps=steps)
    for steps in (5, 10, 25, 50): run('heun', n, steps=steps)
    for tol in (1e-2, 1e-3, 1e-4)[:1 if smoke else 3]: run('ode', n, rtol=tol, atol=tol)
    for steps in (50, 100, 250, 1000): run('em', n, steps=max(2, int(steps * S)))
    for steps in (25, 50, 125, 250): run('pc', n, steps=max(2, int(steps * S)))

    result = {'date': str(datetime.date.today()), 'machine': machine(), 'model': 'chorales', 'threshold': 'midpoint',
              'validation': {**ref, 'clips': len(val)}, 'runs': rows, 'verdict': verdict}
    (HERE / 'nfe_quality.json').write_text(json.dumps(result, indent=1) + '\n')

    from matplotlib.figure import Figure
    fig = Figure(figsize=(11, 3.2), dpi=90, layout='constrained')
    for ax, key, title in zip(fig.subplots(1, 3), METRICS, ['note density', 'notes per sounding frame', 'pitch histogram L1 to validation']):
        for sampler, marker in [('em', 'o'), ('pc', 's'), ('ode', 'd'), ('heun', '^'), ('ancestral', 'v')]:
            pts = sorted((r['nfe'], r[key]) for r in rows if r['sampler'] == sampler and r['clips'] == n)
            if pts: ax.plot(*zip(*pts), marker + '-', label=sampler)
        for r in rows:
            if r['clips'] == 2 * N: ax.plot(r['nfe'], r[key], marker='*', ms=12, ls='', color='k')
        if key != 'pitch_l1': ax.axhline(ref[key], color='0.5', ls='--', label='validation')
        ax.set_xscale('log'); ax.set_xlabel('NFE'); ax.set_title(title, fontsize=10)
    fig.axes[0].legend(fontsize=8)
    fig.savefig(HERE / 'nfe_quality.png')

    lines = [f"Quality against NFE, bundled chorale model ({result['date']})\n",
             f"Machine: {result['machine']}. `python bench/nfe_quality.py` (also writes bench/nfe_quality.json, drawn in the "
             "sampling chapter, and bench/nfe_quality.png). Rolls by the midpoint rule; validation set "
             f"({len(val)} clips): density {ref['density']:.1%}, polyphony {ref['polyphony']:.2f}. Rows with 128 clips (two seeds of 64) "
             "are the comparison at default settings (stars in the figure); rows with 32 clips the sweep.\n",
             "| sampler | clips | NFE | settings | seconds | density | polyphony | pitch L1 |", "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['sampler']} | {r['clips']} | {r['nfe']} | {', '.join(f'{k}={v}' for k, v in r['settings'].items()) or 'defaults'} | "
              f"{r['seconds']:.1f} | {r['density']:.1%} | {r['polyphony']:.2f} | {r['pitch_l1']:.3f} |" for r in rows]
    lines += ['', "Fast samplers against PC at 1000 NFE (distance to the validation value; difference fast - PC with its 95 % "
              "bootstrap interval over clips; a metric passes if the fast sampler is no farther, or the interval contains 0):\n",
              "| sampler | metric | distance | PC's distance | difference [95 % interval] | passes |", "|---|---|---|---|---|---|"]
    for name, v in verdict.items():
        for m, d in v.items():
            lines.append(f"| {name} | {m} | {d['fast']:.4f} | {d['pc']:.4f} | {d['diff']:+.4f} [{d['ci'][0]:+.4f}, {d['ci'][1]:+.4f}] | {'yes' if d['passes'] else 'no'} |")
    write_section('Quality against NFE', '\n'.join(lines))
    print('\n'.join(lines))
