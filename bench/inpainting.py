"""How well the bundled chorale model fills a missing bar, against simple fills; and how long continuing a piece by 60 s takes.

    .venv/bin/python bench/inpainting.py                  # validation (chooses the resampling), then test once; about 40 min on 2 cores
    .venv/bin/python bench/inpainting.py --results-only   # rewrite the RESULTS.md section from bench/inpainting.json
    .venv/bin/python bench/inpainting.py --candidate key=runs/chorales-key   # a model not bundled: validation only, r = 10, ~20 min

Every clip of a split loses the same bar: frames 24..39 of its 64 (beats 7 to 10 at 4 frames a beat), every pitch. Fills:
the model (the fast sampler, heun-churn, 25 levels) with RePaint resampling r in {1, 3, 10}; leave empty; hold the last known
frame; each pitch's two-state Markov chain (fitted on the training clips) drawn given the known frames on both sides. The
resampling is chosen on the validation split (seed 700); the test split is used once, with the choice (seed 701). Scores:
note F1 in the bar (same pitch, onset within one frame; notes cut at the bar's edges), micro-averaged over clips, with 95 %
bootstrap intervals over clips; how often a note sounding just before an edge of the bar still sounds just after it, against
the truth's rate. Also: `continue_roll` adds 60 s (480 frames) to the first 8 s of a test clip, timed (the target: under 2 min).
Writes bench/inpainting.json and its section of bench/RESULTS.md. `--candidate label=folder` fills the validation split only, with
r = 10 (the resampling chosen for the bundled model) and the same seed, and writes bench/inpainting_candidates.json: it never
touches the test split."""
import datetime, hashlib, json, sys, time
from pathlib import Path

import numpy as np
import torch

from _results import machine, write_section

HERE = Path(__file__).parent
GAP = (24, 40)
RESAMPLE = (1, 3, 10)   # 10 added (before any fill of the model bundled 2026-12-05 evening was drawn): 3 had beaten 1 on validation
SEEDS = {'validation': 700, 'test': 701}
BOOT = 1000


def fills(model, clips: np.ndarray, known: np.ndarray, chain, seed: int, resample) -> dict:
    from pianodiff.inpaint import hold_fill, inpaint, markov_fill
    out = {'empty': np.where(known, clips, False), 'hold': np.stack([hold_fill(c, k) for c, k in zip(clips, known)]),
           'markov': np.stack([markov_fill(c, k, chain, seed + i) for i, (c, k) in enumerate(zip(clips, known))])}
    for r in resample:
        t0 = time.perf_counter()
        rolls = [inpaint(model, torch.from_numpy(clips[i:i + 64].astype(np.float32)), torch.from_numpy(known[i:i + 64]), 'heun-churn',
                         seed=seed + i, resample=r).numpy() for i in range(0, len(clips), 64)]   # batches of 64 clips
        out[f'model (r={r})'] = np.concatenate(rolls).astype(bool)
        print(f'model r={r}: {time.perf_counter() - t0:.0f} s for {len(clips)} clips', flush=True)
    return out


def f1s(counts: np.ndarray, idx: np.ndarray) -> np.ndarray:
    "Micro-averaged F1 of each resample of clips (`idx`: [resamples, clips]) from per-clip counts [clips, 3]."
    from pianodiff.inpaint import f1_from_counts
    return np.array([f1_from_counts(*counts[i].sum(0)) for i in idx])


def score(filled: np.ndarray, truth: np.ndarray, idx: np.ndarray) -> dict:
    from pianodiff.evaluate import bootstrap_interval
    from pianodiff.inpaint import f1_from_counts, held_across, note_counts
    counts = np.array([note_counts(f, t, *GAP) for f, t in zip(filled, truth)], float)   # [clips, 3]
    f1 = f1_from_counts(*counts.sum(0))
    edges = {}
    for name, frame in (('enter', GAP[0]), ('leave', GAP[1])):
        held, sounding = held_across(filled, frame)
        edges[name] = held / max(sounding, 1)
    return {'f1': f1, 'f1_interval': bootstrap_interval(f1, f1s(counts, idx)), 'density': float(filled[:, :, GAP[0]:GAP[1]].mean()),
            'held_enter': edges['enter'], 'held_leave': edges['leave'], 'counts': counts.sum(0).tolist()}, counts


def paired(model: np.ndarray, base: np.ndarray, idx: np.ndarray) -> dict:
    "The model's F1 minus a baseline's on the same clips, with a 95 % interval from the same resamples (+- 1.96 standard errors)."
    from pianodiff.inpaint import f1_from_counts
    d = f1_from_counts(*model.sum(0)) - f1_from_counts(*base.sum(0))
    half = 1.96 * float((f1s(model, idx) - f1s(base, idx)).std(ddof=1))
    return {'difference': d, 'interval': [d - half, d + half]}


def split_scores(model, split: str, chain, resample) -> dict:
    from pianodiff.data import load_chorales
    from pianodiff.inpaint import span_mask
    ds = load_chorales(split, model.roll_cfg, progress=False)
    clips = ds.clips.numpy().astype(bool)
    known = span_mask(clips.shape, *GAP).numpy()
    idx = np.random.default_rng(SEEDS[split]).integers(0, len(clips), (BOOT, len(clips)))   # the same resamples for every fill
    rows, counts = {}, {}
    rows['truth'], _ = score(clips, clips, idx)
    for name, f in fills(model, clips, known, chain, SEEDS[split], resample).items():
        assert (f[known] == clips[known]).all(), name   # every fill keeps the known cells
        rows[name], counts[name] = score(f, clips, idx)
    vs = {f'{m} - {b}': paired(counts[m], counts[b], idx) for m in counts if m.startswith('model') for b in ('empty', 'hold', 'markov')}
    return {'clips': len(clips), 'seed': SEEDS[split], 'rows': rows, 'paired': vs}


def continuation_time(model) -> dict:
    from pianodiff.data import load_chorales
    from pianodiff.inpaint import continue_roll
    first = load_chorales('test', model.roll_cfg, progress=False).clips[0].float()
    frames = int(60 * model.roll_cfg.fs)
    t0 = time.perf_counter()
    out = continue_roll(model, first, frames, seed=702)
    seconds = time.perf_counter() - t0
    assert out.shape[-1] == first.shape[-1] + frames and torch.equal(out[:, :first.shape[-1]], first)
    return {'added_seconds': 60, 'frames': frames, 'seconds': seconds}


def table(split: dict) -> str:
    lines = ['| fill | note F1 in the bar [95 % interval] | density in the bar | notes held into the bar | notes held out of it |', '|---|---|---|---|---|']
    for name, r in split['rows'].items():
        lo, hi = r['f1_interval']
        lines.append(f"| {name} | {r['f1']:.3f} [{lo:.3f}, {hi:.3f}] | {r['density']:.3f} | {r['held_enter']:.2f} | {r['held_leave']:.2f} |")
    lines += ['', '| model minus | F1 difference [95 % interval, same resampled clips] |', '|---|---|']
    lines += [f"| {k.split(' - ')[1]} ({k.split(' - ')[0]}) | {v['difference']:+.3f} [{v['interval'][0]:+.3f}, {v['interval'][1]:+.3f}] |" for k, v in split['paired'].items()]
    return '\n'.join(lines)


def write_results(r: dict):
    body = (f"Inpainting ({r['date']})\n\nMachine: {r['machine']}. `python bench/inpainting.py`: the bundled `chorales` model fills "
            f"frames {GAP[0]}..{GAP[1] - 1} (one bar) of every clip. Validation ({r['validation']['clips']} clips, seed {r['validation']['seed']}), "
            f"used to choose the resampling:\n\n{table(r['validation'])}\n\nChosen: r = {r['chosen']}. Test ({r['test']['clips']} clips, "
            f"seed {r['test']['seed']}), once:\n\n{table(r['test'])}\n\n`continue_roll` adding {r['continuation']['added_seconds']} s "
            f"({r['continuation']['frames']} frames) to an 8-second clip with the fast sampler: {r['continuation']['seconds']:.1f} s "
            f"(target under 120 s: {'met' if r['continuation']['seconds'] < 120 else 'not met'}).")
    write_section('Inpainting', body)
    print(body)


def main():
    from pianodiff.data import load_chorales
    from pianodiff.evaluate import MarkovBaseline
    from pianodiff.train import load_pretrained
    model = load_pretrained('chorales')
    chain = MarkovBaseline.fit(load_chorales('train', model.roll_cfg, progress=False).clips.numpy())
    from pianodiff.train import PRETRAINED_DIR
    weights = hashlib.sha256((PRETRAINED_DIR / 'chorales' / 'model.safetensors').read_bytes()).hexdigest()   # which weights filled
    result = {'date': str(datetime.date.today()), 'machine': machine(), 'weights_sha256': weights, 'gap': GAP}
    result['validation'] = split_scores(model, 'validation', chain, RESAMPLE)
    result['chosen'] = max(RESAMPLE, key=lambda r: result['validation']['rows'][f'model (r={r})']['f1'])
    result['test'] = split_scores(model, 'test', chain, (result['chosen'],))
    result['continuation'] = continuation_time(model)
    (HERE / 'inpainting.json').write_text(json.dumps(result, indent=1) + '\n')
    write_results(result)


def candidate(spec: str, r: int = 10):
    "Validation fills of a model that is not bundled, beside the baselines, in bench/inpainting_candidates.json (one entry per label)."
    from pianodiff.data import load_chorales
    from pianodiff.evaluate import MarkovBaseline
    from pianodiff.train import load_pretrained
    label, _, name = spec.rpartition('=')
    model = load_pretrained(name)
    chain = MarkovBaseline.fit(load_chorales('train', model.roll_cfg, progress=False).clips.numpy())
    path = HERE / 'inpainting_candidates.json'
    stored = json.loads(path.read_text()) if path.is_file() else {}
    from pianodiff.train import PRETRAINED, PRETRAINED_DIR
    folder = PRETRAINED_DIR / name if name in PRETRAINED else Path(name)
    stored[label or name] = {'model': name, 'weights_sha256': hashlib.sha256((folder / 'model.safetensors').read_bytes()).hexdigest(),
                             'date': str(datetime.date.today()), 'machine': machine(), 'gap': GAP, 'resample': r,
                             'validation': split_scores(model, 'validation', chain, (r,))}
    path.write_text(json.dumps(stored, indent=1) + '\n')
    print(table(stored[label or name]['validation']))


if __name__ == '__main__':
    if '--candidate' in sys.argv: candidate(sys.argv[sys.argv.index('--candidate') + 1]); sys.exit()
    if '--results-only' in sys.argv: write_results(json.loads((HERE / 'inpainting.json').read_text())); sys.exit()
    main()
