"""The `jsb` model's negative log-likelihood bound on the JSB Chorales benchmark, nats per frame.

    .venv/bin/python bench/jsb_likelihood.py MODEL [DATA]     # MODEL: a run folder or 'jsb'; DATA: JSB_Chorales.mat
                                                              # (default: ../shared/benchmarks/JSB_Chorales.mat); about 15 min
    .venv/bin/python bench/jsb_likelihood.py --results-only   # rewrite the RESULTS.md section from bench/jsb_likelihood.json

On the validation split (seed 0) it scores the pieces whole and in disjoint windows of the training clip's length, and keeps
the tighter way; on the three shortest validation pieces it also computes the dequantization bound (probability-flow ODE, seed 0) beside
the variational one. The test split is scored once, the chosen way, seed 1, with the baselines fitted on the training split.
Writes bench/jsb_likelihood.json and its section of bench/RESULTS.md."""
import datetime, json, math, sys, time
from pathlib import Path

import numpy as np
import torch

from _results import machine, write_section

HERE = Path(__file__).parent
BOUND_PIECES = 3   # the shortest validation pieces, for the dequantization bound beside the variational one
SHARED = HERE.parent.parent / 'shared' / 'benchmarks' / 'JSB_Chorales.mat'


def both_bounds(model, pieces) -> dict:
    "Both bounds on the same pieces, nats per frame: the variational one and the dequantization one (ODE)."
    from pianodiff.likelihood import _piece_keys, dequantized_nll, nll_per_frame
    cfg = model.roll_cfg
    t0 = time.perf_counter()
    deq = 0.0
    for i, p in enumerate(pieces):
        roll = torch.from_numpy(_piece_keys(p, cfg, f"piece {i}", "").astype(np.float64))[None, None]
        deq += dequantized_nll(model.model, model.sde, roll, seed=i).item()
        print(f'  dequantization bound, piece {i} ({len(p)} frames): {time.perf_counter() - t0:.0f} s so far', flush=True)
    frames = sum(len(p) for p in pieces)
    return {'pieces': len(pieces), 'frames': frames, 'dequantized': deq / frames, 'dequantized_seconds': time.perf_counter() - t0,
            'variational': nll_per_frame(model, pieces, seed=0)}


def bootstrap(nats: np.ndarray, frames: np.ndarray, base: dict, n: int = 2000, seed: int = 11) -> dict:
    """95 % intervals (estimate +- 1.96 bootstrap standard errors, resampling test pieces): the model's nats per frame, and
    its difference from each baseline on the same resampled pieces (negative: the model is better). The baselines do not
    predict a piece's first frame and the model does, so the difference is, if anything, unfair to the model."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(nats), (n, len(nats)))
    ratio = lambda x, i: x[i].sum(-1) / frames[i].sum(-1)
    base_frames = frames - 1
    out = {'test_interval': interval(ratio(nats, slice(None)), ratio(nats, idx))}
    for k, b in base.items():
        diff = lambda i: ratio(nats, i) - b[i].sum(-1) / base_frames[i].sum(-1)
        out[f'minus_{k}'] = float(diff(slice(None)))
        out[f'minus_{k}_interval'] = interval(diff(slice(None)), diff(idx))
    out['bootstrap'] = {'resamples': n, 'seed': seed, 'unit': 'test piece'}
    return out


def interval(estimate, boot) -> list[float]:
    half = 1.96 * float(np.std(boot, ddof=1))
    return [float(estimate) - half, float(estimate) + half]


def main(model_name: str, data: str):
    from pianodiff.likelihood import independent_keys_nll, load_polyphonic, markov_nll, nll_per_frame
    from pianodiff.train import load_pretrained
    model = load_pretrained(model_name)
    train, val, test = (load_polyphonic(data, s) for s in ('train', 'validation', 'test'))
    width = model.roll_cfg.clip_frames
    from pianodiff.train import PRETRAINED, PRETRAINED_DIR
    import hashlib
    weights = (PRETRAINED_DIR / model_name if model_name in PRETRAINED else Path(model_name)) / 'model.safetensors'
    r = {'date': str(datetime.date.today()), 'machine': machine(), 'model': str(model_name), 'window': width,
         'weights_sha256': hashlib.sha256(weights.read_bytes()).hexdigest()}
    for name, window in (('whole', None), ('windows', width)):
        t0 = time.perf_counter()
        r[f'validation_{name}'] = nll_per_frame(model, val, seed=0, window=window)
        print(f'validation, {name}: {r[f"validation_{name}"]:.3f} nats per frame ({time.perf_counter() - t0:.0f} s)', flush=True)
    r['chosen'] = min(('whole', 'windows'), key=lambda k: r[f'validation_{k}'])
    t0 = time.perf_counter()
    window = None if r['chosen'] == 'whole' else width
    # piece by piece with the seeds the whole call would use (seed 1 + piece index), so the total is that call's number
    # and the pieces can be resampled: nats of each piece under the model and under each baseline
    nats = np.array([nll_per_frame(model, [p], seed=1 + i, window=window) * len(p) for i, p in enumerate(test)])
    frames = np.array([len(p) for p in test], float)
    r['test_seconds'] = time.perf_counter() - t0
    r['test_frames'] = int(frames.sum())
    r['test'] = float(nats.sum() / frames.sum())
    r['independent'], r['markov'] = independent_keys_nll(train, test), markov_nll(train, test)
    base = {'independent': np.array([independent_keys_nll(train, [p]) * (len(p) - 1) for p in test]),
            'markov': np.array([markov_nll(train, [p]) * (len(p) - 1) for p in test])}
    r.update(bootstrap(nats, frames, base))
    r['bits_per_cell'] = r['test'] / math.log(2) / 88
    print(f"test: {r['test']:.3f} nats per frame, interval {r['test_interval']} ({r['test_seconds']:.0f} s)", flush=True)
    (HERE / 'jsb_likelihood.json').write_text(json.dumps(r, indent=1) + '\n')
    # the probability-flow ODE is slow on this model (its score is steep near the data: many RK45 steps), so few pieces
    r['bounds'] = both_bounds(model, sorted(val, key=len)[:BOUND_PIECES])
    print('both bounds on validation pieces:', r['bounds'], flush=True)
    (HERE / 'jsb_likelihood.json').write_text(json.dumps(r, indent=1) + '\n')
    write_results(r)


def write_results(r: dict):
    b = r['bounds']
    body = (f"JSB Chorales likelihood ({r['date']})\n\nMachine: {r['machine']}. `python bench/jsb_likelihood.py {r['model']}`: "
            f"the variational bound (64 noise levels per piece). Validation: whole pieces {r['validation_whole']:.3f}, disjoint "
            f"{r['window']}-frame windows {r['validation_windows']:.3f} nats per frame; chosen: {r['chosen']}. On {b['pieces']} validation "
            f"pieces ({b['frames']} frames): variational {b['variational']:.3f}, dequantization (probability-flow ODE) {b['dequantized']:.3f} "
            f"nats per frame. **Test** ({r['test_frames']} frames, once): {r['test']:.3f} nats per frame [95 % interval "
            f"{r['test_interval'][0]:.3f}, {r['test_interval'][1]:.3f}, bootstrap over test pieces] ({r['bits_per_cell']:.4f} bits per "
            f"key and frame); independent keys {r['independent']:.2f}, per-key Markov chain {r['markov']:.2f} (both fitted on train, "
            f"first frames not predicted); model minus Markov chain {r['minus_markov']:+.3f} [{r['minus_markov_interval'][0]:+.3f}, "
            f"{r['minus_markov_interval'][1]:+.3f}] (same resampled pieces); TCN 8.10 (Bai et al. 2018, its own protocol). "
            f"Scoring the test split took {r['test_seconds']:.0f} s.")
    write_section('JSB Chorales likelihood', body)
    print(body)


if __name__ == '__main__':
    if '--results-only' in sys.argv: write_results(json.loads((HERE / 'jsb_likelihood.json').read_text())); sys.exit()
    main(sys.argv[1] if len(sys.argv) > 1 else 'jsb', sys.argv[2] if len(sys.argv) > 2 else str(SHARED))
