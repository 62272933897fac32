"""Quality against cost: music statistics of samples of the bundled chorale model, for every sampler and NFE.

    .venv/bin/python bench/nfe_quality.py           # 20 minutes to an hour on 2 CPU cores (its PC comparison alone: 13 min for the bundled model, 26 min for the EDM model)
    .venv/bin/python bench/nfe_quality.py --smoke   # a minute: 2 clips, few steps, results in /tmp/nfe_quality_smoke
    .venv/bin/python bench/nfe_quality.py --results-only   # rewrite its RESULTS.md section from bench/nfe_quality.json

Writes bench/nfe_quality.json (read by the sampling chapter, nbs/06_sampling.ipynb, which draws the figures),
bench/nfe_quality.png and its section of bench/RESULTS.md.

Statistics of binary rolls by the midpoint rule (so nothing is tuned to the data), against the validation clips:
note density (share of cells sounding), polyphony (notes per sounding frame) and the L1 distance between pitch
histograms (each normalised to sum 1); besides these, the mean note length (frames per note) and the share of
undecided cells of the raw samples (farther than half the way from both silence and a note), which shows how
crisp a sampler's output is before thresholding.

The comparison: PC at its default 1000 NFE against the fast samplers at their defaults (Heun with and without
churn at 49 NFE, DPM-Solver++(2M) at 15), on 64 clips each (seeds 3 and 4, 32 each), seeds used for no choice; the
sweep draws 16 clips per point (seed 0), and its PC curve ends where the comparison's PC star stands (1000 NFE).
(The first model's run drew 128 and 32 clips; on the slower machine of the second run the sizes were halved to
keep the run under an hour.) The
churn of the fast sampler is chosen by bench/choose_churn.py (mean OA on the validation split, seed 9101); the 'churn'
rows here (seed 0) show how the statistics move with it. Besides the three statistics, each comparison set gets the
evaluation chapter's mean OA against the validation split, with its bootstrap interval.
"As close" is decided per metric on the distance to the validation value: a fast sampler passes a metric if its
distance is at most PC's, or if the 95 % bootstrap interval (over clips, 2000 resamples) of the difference of
distances reaches 0 (it is not significantly farther). (The first bundled model's run, before the churn was chosen
by mean OA, chose it on seeds 0 to 2 to match PC's density; git history keeps that version.)"""
import datetime, hashlib, json, sys, tempfile, time
from pathlib import Path

import numpy as np
import torch

from _results import machine, write_section
from pianodiff.data import load_chorales
from pianodiff.evaluate import eval_config, evaluate_rolls
from pianodiff.sampling import SAMPLERS, sample, to_rolls
from pianodiff.train import PRETRAINED_DIR, load_pretrained

HERE = Path(__file__).parent
METRICS = ('density', 'polyphony', 'pitch_l1')   # the issue's three; the comparison decides on these


def stats(rolls: torch.Tensor, ref_hist: torch.Tensor | None = None) -> dict:
    "Statistics of binary rolls [n, pitches, frames]; `pitch_l1` against `ref_hist` when given."
    rolls = rolls.float()
    per_frame = rolls.sum(1)
    hist = rolls.sum((0, 2)); hist = hist / hist.sum().clamp(min=1)
    onsets = (rolls[..., :1].sum() + (rolls[..., 1:] > rolls[..., :-1]).sum()).item()
    out = {'density': rolls.mean().item(),
           'polyphony': per_frame[per_frame > 0].mean().item() if (per_frame > 0).any() else 0.0,
           'note_length': rolls.sum().item() / max(onsets, 1), 'hist': hist.tolist()}
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


def settings_text(settings: dict) -> str:
    return ', '.join(f'{k}={v}' for k, v in settings.items()) or 'defaults'


def write_results(result: dict) -> str:
    "This run's section of bench/RESULTS.md, from its JSON (the weights it sampled named in the heading); returns the text."
    rows, ref, verdict, mean_oa = result['runs'], result['validation'], result['verdict'], result['mean_oa']
    N = next(r['clips'] for r in rows if r['role'] == 'comparison') // 2
    n = next((r['clips'] for r in rows if r['role'] == 'sweep'), 0)
    weights = f", weights SHA-256 {result['weights_sha256'][:12]}..." if result.get('weights_sha256') else ''
    lines = [f"Quality against NFE, bundled chorale model ({result['date']}{weights})\n",
             f"Machine: {result['machine']}. `python bench/nfe_quality.py` (also writes bench/nfe_quality.json, drawn in the "
             "sampling chapter, and bench/nfe_quality.png). Rolls by the midpoint rule; validation set "
             f"({ref['clips']} clips): density {ref['density']:.1%}, polyphony {ref['polyphony']:.2f}, note length {ref['note_length']:.2f} frames. "
             f"Role 'comparison': {2 * N} clips (seeds 3 and 4) at default settings (stars in the figure); 'sweep' and 'churn': {n} clips, "
             "seed 0; the PC curve ends at the comparison's PC. Undecided: share of raw sample values farther than half the way from both silence and a note. The churn "
             f"of the fast sampler ({result['churn']:g}) was chosen by bench/choose_churn.py on other seeds, so seeds 3 and 4 are held out.\n",
             "| sampler | role | clips | NFE | settings | seconds | density | polyphony | pitch L1 | note length | undecided |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['sampler']} | {r['role']} | {r['clips']} | {r['nfe']} | {settings_text(r['settings'])} | {r['seconds']:.1f} | "
              f"{r['density']:.1%} | {r['polyphony']:.2f} | {r['pitch_l1']:.3f} | {r['note_length']:.2f} | {r['undecided']:.1%} |" for r in rows]
    lines += ['', "Fast samplers against PC at 1000 NFE (distance to the validation value; difference fast - PC with its 95 % "
              "bootstrap interval over clips; a metric passes if the fast sampler is no farther, or the interval reaches 0):\n",
              "| sampler | metric | distance | PC's distance | difference [95 % interval] | passes |", "|---|---|---|---|---|---|"]
    for name, v in verdict.items():
        for m, d in v.items():
            lines.append(f"| {name} | {m} | {d['fast']:.4f} | {d['pc']:.4f} | {d['diff']:+.4f} [{d['ci'][0]:+.4f}, {d['ci'][1]:+.4f}] | {'yes' if d['passes'] else 'no'} |")
    lines += ['', "Mean OA of each comparison set against the validation split (the evaluation chapter's measure, 95 % bootstrap interval):\n",
              '| sampler | NFE | mean OA |', '|---|---|---|']
    nfe = {r['sampler']: r['nfe'] for r in rows if r['role'] == 'comparison'}
    lines += [f"| {k} | {nfe[k]} | {v['mean_oa']:.3f} [{v['mean_oa_ci'][0]:.3f}, {v['mean_oa_ci'][1]:.3f}] |" for k, v in mean_oa.items()]
    write_section('Quality against NFE', '\n'.join(lines))
    return '\n'.join(lines)


if __name__ == '__main__':
    if '--results-only' in sys.argv:   # rewrite the RESULTS.md section from the stored JSON, without sampling
        print(write_results(json.loads((HERE / 'nfe_quality.json').read_text()))); sys.exit()
    smoke = '--smoke' in sys.argv   # a quick run of the whole script, to check it before the long one
    if smoke:
        HERE = Path(tempfile.gettempdir()) / 'nfe_quality_smoke'; HERE.mkdir(exist_ok=True)
        import _results; _results.RESULTS = HERE / 'RESULTS.md'
    N, S = (1, 0.05) if smoke else (32, 1)   # clips per seed of the comparison; scale of the sweep's budgets
    torch.set_num_threads(2)
    model = load_pretrained('chorales')
    val = load_chorales('validation', model.roll_cfg, progress=False).clips.float()
    ref = stats(val); ref_hist = torch.tensor(ref['hist'])
    rows, rolls = [], {}

    def run(sampler, n, seeds=(0,), role='sweep', **kw):
        start, out, raw, nfe = time.perf_counter(), [], [], None
        for seed in seeds:
            r = sample(model, sampler, n=n, seed=seed, progress=False, **kw)
            out.append(to_rolls(r.x, model, 'midpoint')); raw.append(r.x); nfe = r.nfe
        out, raw = torch.cat(out), torch.cat(raw)
        rows.append({'sampler': sampler, 'role': role, 'clips': len(out), 'seeds': list(seeds), 'nfe': nfe,
                     'seconds': time.perf_counter() - start, 'settings': kw, **stats(out, ref_hist),
                     'undecided': (raw.abs() < 0.5).float().mean().item()})   # model space: silence -1, note +1
        print(json.dumps({k: v for k, v in rows[-1].items() if k != 'hist'}), flush=True)
        return out

    # the comparison: PC at its default 1000 NFE against Heun with and without churn at their defaults (49 NFE)
    seeds = (3, 4)
    rolls['pc'] = run('pc', N, seeds, 'comparison', **({'steps': 10} if smoke else {}))
    rolls['heun-churn'] = run('heun-churn', N, seeds, 'comparison')
    rolls['heun'] = run('heun', N, seeds, 'comparison')
    rolls['dpmpp-2m'] = run('dpmpp-2m', N, seeds, 'comparison')
    verdict = {name: compare(rolls[name], rolls['pc'], ref, ref_hist) for name in ('heun-churn', 'heun', 'dpmpp-2m')}
    cfg = eval_config(model)   # the evaluation chapter's mean OA of each comparison set
    mean_oa = {}
    for name, r in rolls.items():
        e = evaluate_rolls(r.numpy(), val.numpy(), None, cfg)
        mean_oa[name] = {'mean_oa': e['mean_oa'], 'mean_oa_ci': list(e['mean_oa_ci'])}
    print(json.dumps(mean_oa), flush=True)
    # the sweep: every sampler over its budget, 16 clips per point, seed 0
    n = max(1, N // 2)
    for steps in (5, 10, 17, 25): run('heun-churn', n, steps=steps)
    for steps in (5, 10, 25, 50): run('heun', n, steps=steps)
    for steps in (8, 10, 15, 20, 30): run('dpmpp-2m', n, steps=steps)
    for tol in (1e-2, 1e-3, 1e-4)[:1 if smoke else 3]: run('ode', n, rtol=tol, atol=tol)
    for steps in (50, 100, 250, 1000): run('em', n, steps=max(2, int(steps * S)))
    for steps in (25, 50, 125, 250): run('pc', n, steps=max(2, int(steps * S)))
    # the churn of the fast sampler: 25 levels (49 NFE), seed 0
    for churn in ((0.5, 2.0) if smoke else (0.0, 0.25, 0.5, 1.0, 1.5, 1.75, 2.0, 3.0, 4.0)): run('heun', n, role='churn', churn=churn)

    weights = hashlib.sha256((PRETRAINED_DIR / 'chorales' / 'model.safetensors').read_bytes()).hexdigest()   # which weights were sampled
    result = {'date': str(datetime.date.today()), 'machine': machine(), 'model': 'chorales', 'weights_sha256': weights, 'threshold': 'midpoint',
              'validation': {**ref, 'clips': len(val)}, 'runs': rows, 'verdict': verdict, 'mean_oa': mean_oa,
              'churn': SAMPLERS['heun-churn'][1]['churn']}
    (HERE / 'nfe_quality.json').write_text(json.dumps(result, indent=1) + '\n')

    from matplotlib.figure import Figure
    fig = Figure(figsize=(11, 3.2), dpi=90, layout='constrained')
    for ax, key, title in zip(fig.subplots(1, 3), METRICS, ['note density', 'notes per sounding frame', 'pitch histogram L1 to validation']):
        for sampler, marker in [('em', 'o'), ('pc', 's'), ('ode', 'd'), ('heun', '^'), ('heun-churn', 'v'), ('dpmpp-2m', 'P')]:
            pts = sorted((r['nfe'], r[key]) for r in rows if r['sampler'] == sampler and (r['role'] == 'sweep' or (sampler == 'pc' and r['role'] == 'comparison')))
            if pts: ax.plot(*zip(*pts), marker + '-', label=sampler)
        for r in rows:
            if r['role'] == 'comparison': ax.plot(r['nfe'], r[key], marker='*', ms=12, ls='', color='k')
        if key != 'pitch_l1': ax.axhline(ref[key], color='0.5', ls='--', label='validation')
        ax.set_xscale('log'); ax.set_xlabel('NFE'); ax.set_title(title, fontsize=10)
    fig.axes[0].legend(fontsize=8)
    fig.savefig(HERE / 'nfe_quality.png')

    print(write_results(result))
