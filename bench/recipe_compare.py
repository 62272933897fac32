"""Before and after: trained models compared on the validation split, against issue 11's targets.

    .venv/bin/python bench/recipe_compare.py before=runs/old after=chorales   # 11 to 26 minutes per model on 2 CPU cores, by machine (the ODE: 6 to 16)
    .venv/bin/python bench/recipe_compare.py --test after=chorales             # once, at the end: the test split
    .venv/bin/python bench/recipe_compare.py --smoke chorales                  # a minute: 4 clips, in /tmp/recipe_compare_smoke
    .venv/bin/python bench/recipe_compare.py --rhythm-only edm=runs/old        # 4 minutes: add the rhythm diagnostics to a stored model
    .venv/bin/python bench/recipe_compare.py --results-only                     # rewrite its RESULTS.md sections from the stored JSON files
    .venv/bin/python bench/recipe_compare.py --fast-only onsets=runs/x         # validation without the ODE (about 9 minutes)
    .venv/bin/python bench/recipe_compare.py --seed 250 a=runs/x chorales      # another seed, never used, for a model another seed chose:
                                                                               # bench/recipe_compare_seed250.json, a section of its own

Models already in the JSON file and not named again are kept, so a new model is measured beside the stored ones.

A model is a bundled name or a run folder, optionally labelled (`label=folder`).

For each model (a bundled name or a run folder), 128 clips (seed 200, a seed used for no choice) from the fast
samplers and the probability-flow ODE, cut by the midpoint rule (nothing tuned), evaluated with `evaluation_table`
against the validation split of the deduplicated corpus. Writes bench/recipe_compare.json and its section of
bench/RESULTS.md. The targets (issue 11), each reported as met or not:

- mean OA of the fast sampler at <= 50 NFE (heun-churn) >= 0.80;
- the deterministic samplers (ode, heun) within 0.05 mean OA of the stochastic one (heun-churn);
- at <= 20 NFE (dpmpp-2m at 15, dpmpp-2m-sde at 20; met when either is) within 0.05 mean OA of the 49-NFE result;
- rhythmic regularity: the fast sampler's OA on that statistic within the interval of the real-vs-real row.

Each entry also records `strikes`: per set, the onsets per clip and the share of onsets that strike a pitch already
sounding (`pianodiff.evaluate.restrike_share`, with its bootstrap interval over clips), beside the real clips read
with onsets. A one-channel model's share is 0 by construction; a model trained with onsets should come near the real one."""
import datetime, hashlib, json, sys, time
from pathlib import Path

import numpy as np

from _results import machine, sampled_rolls, write_section
from pianodiff.data import load_chorales, normalize_keys
from pianodiff.evaluate import eval_config, evaluation_table, format_table, onset_phases, onset_synchrony, restrike_share, to_json
from pianodiff.sampling import SAMPLERS as SAMPLER_DEFAULTS
from pianodiff.train import PRETRAINED_DIR, load_pretrained
from pianodiff.tune import denoising_loss

HERE = Path(__file__).parent
SEED, N = 200, 128
SAMPLERS = ('heun-churn', 'heun', 'dpmpp-2m', 'dpmpp-2m-sde', 'ode')
TEST_SAMPLERS = ('heun-churn', 'heun', 'dpmpp-2m', 'dpmpp-2m-sde')   # the final table: the ODE's 128 clips would double its cost
FAST_ONLY = False


def targets(rows: dict) -> dict:
    "Each target of issue 11 that the sampled sets allow, with its value and whether it is met."
    oa = {k: rows[k]['mean_oa'] for k in rows}
    lo, hi = rows['real: training clips']['oa_ci']['rhythmic_regularity']
    beat = rows['heun-churn']['oa']['rhythmic_regularity']
    out = {'fast >= 0.80': {'value': oa['heun-churn'], 'met': oa['heun-churn'] >= 0.80}}
    deterministic = [k for k in ('ode', 'heun') if k in oa]
    if deterministic:
        out['deterministic within 0.05'] = {'value': {k: oa[k] - oa['heun-churn'] for k in deterministic},
                                            'met': all(abs(oa[k] - oa['heun-churn']) <= 0.05 for k in deterministic)}
    few = [k for k in ('dpmpp-2m', 'dpmpp-2m-sde') if k in oa]   # the samplers at <= 20 NFE (15 and 20); entries before the SDE form had one
    if few == ['dpmpp-2m']:
        out['<= 20 NFE within 0.05'] = {'value': oa['dpmpp-2m'] - oa['heun-churn'], 'met': oa['dpmpp-2m'] - oa['heun-churn'] >= -0.05}
    elif few:   # met when one of them is no more than 0.05 below: the target asks for a sampler at that budget
        out['<= 20 NFE within 0.05'] = {'value': {k: oa[k] - oa['heun-churn'] for k in few},
                                        'met': any(oa[k] - oa['heun-churn'] >= -0.05 for k in few)}   # no worse by more than 0.05 (better is fine)
    out['rhythm within real spread'] = {'value': [beat, lo, hi], 'met': lo <= beat}
    return out


def rhythm(sets: dict, cfg, reference: np.ndarray, train: np.ndarray, split: str = 'validation') -> dict:
    "Diagnostics beside the OA table: the share of onsets at each phase of the beat, and the mean onset synchrony, per set."
    sets = {**sets, f'{split} clips': reference, 'training clips': train}
    return {k: {'phases': onset_phases(v.astype(bool), cfg.beat_frames).tolist(), 'synchrony': float(np.nanmean(onset_synchrony(v.astype(bool))))}
            for k, v in sets.items()}


def mean_ci(values: np.ndarray, n_boot: int = 2000, seed: int = 0) -> list[float]:
    "95 % percentile bootstrap interval of the mean over clips."
    if len(values) == 0: return [float('nan')] * 2
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), (n_boot, len(values)))].mean(1)
    return [float(v) for v in np.percentile(means, [2.5, 97.5])]


def strikes(sets: dict, onsets: dict, model, split: str) -> dict:
    "Per set: onsets per clip and the share of onsets that restrike a sounding pitch, with a 95 % bootstrap interval; the real clips read with onsets."
    from dataclasses import replace
    real = {f'real: {s} clips': load_chorales(s, replace(model.roll_cfg, onsets=True), progress=False) for s in (split, 'train')}
    pairs = {**{k: (v, onsets.get(k)) for k, v in sets.items()}, **{k: (d.clips.numpy(), d.onsets.numpy()) for k, d in real.items()}}
    out = {}
    for k, (rolls, on) in pairs.items():
        share = restrike_share(rolls, on)
        n_on = (on.astype(bool) & rolls.astype(bool) if on is not None else
                rolls.astype(bool) & ~np.pad(rolls.astype(bool), ((0, 0), (0, 0), (1, 0)))[..., :-1]).sum((1, 2))
        out[k] = {'onsets_per_clip': float(n_on.mean()), 'restrike_share': float(np.nanmean(share)),
                  'restrike_ci': mean_ci(share[~np.isnan(share)]), 'onset_channel': on is not None}
    return out


def weights_id(name: str) -> str:
    "SHA-256 of a model's weights file: which weights an entry measured, whatever the name points at later."
    folder = Path(name) if Path(name).is_dir() else PRETRAINED_DIR / name
    return hashlib.sha256((folder / 'model.safetensors').read_bytes()).hexdigest()


def curve(history: list) -> list:
    "[epoch, EMA validation loss] per epoch of a run's history."
    return [[h['epoch'], h['val_loss_ema']] for h in history]


def rhythm_only(spec: str, dest: Path = HERE):
    "Sample the fast sampler's clips again (same seed and count, so the same clips) and store their rhythm diagnostics in the model's entry."
    label, _, name = spec.rpartition('=')
    path = dest / 'recipe_compare.json'
    result = json.loads(path.read_text())
    entry = result['models'][label or name]
    if result.get('seed') != SEED or entry.get('weights_sha256', weights_id(name)) != weights_id(name):
        raise SystemExit(f"{path}: the entry {label or name!r} was measured with other weights or another seed than {name!r}; measure it again in full")
    model = load_pretrained(name)
    cfg = eval_config(model)
    sets, _ = sampled_rolls(model, ('heun-churn',), result['n'], SEED, label or name)
    reference, train = (load_chorales(s, model.roll_cfg, progress=False).clips.numpy() for s in ('validation', 'train'))
    entry['rhythm'] = rhythm(sets, cfg, reference, train)
    folder = Path(name) if Path(name).is_dir() else PRETRAINED_DIR / name
    if (folder / 'history.json').is_file(): entry['history'] = curve(json.loads((folder / 'history.json').read_text()))
    path.write_text(json.dumps(result, indent=1))


def result_name(split: str, seed: int) -> str:
    "The JSON file of a measurement: recipe_compare.json (validation, seed 200), recipe_compare_test.json, recipe_compare_seed250.json, ..."
    return 'recipe_compare' + ('' if split == 'validation' else f'_{split}') + ('' if seed == SEED else f'_seed{seed}') + '.json'


def main(models: list[str], n: int = N, dest: Path = HERE, split: str = 'validation', seed: int = SEED):
    t0 = time.perf_counter()
    path = dest / result_name(split, seed)
    stored = json.loads(path.read_text()) if path.is_file() else {}
    out = stored.get('models', {}) if (stored.get('seed'), stored.get('n')) == (seed, n) else {}   # the stored models, measured alike
    for spec in models:
        label, _, name = spec.rpartition('=')
        label = label or name
        model = load_pretrained(name)
        cfg = eval_config(model)
        train = load_chorales('train', model.roll_cfg, progress=False).clips.numpy()
        reference_ds = load_chorales(split, model.roll_cfg, progress=False)
        reference = reference_ds.clips.numpy()
        keyed = bool(model.config.get('data', {}).get('key_shifts'))   # a key-normalized model denoises clips in C major / A minor
        error = denoising_loss(model.model, model.sde, normalize_keys(reference_ds)[0] if keyed else reference_ds, model.centered, seed=0)   # one weighting for every recipe (study chapter)
        onsets = {}
        sets, cost = sampled_rolls(model, SAMPLERS if split == 'validation' and not FAST_ONLY else TEST_SAMPLERS, n, seed, label, onsets=onsets)
        rows = evaluation_table(sets, reference, train, cfg, n_reference_rows=n)
        folder = Path(name) if Path(name).is_dir() else PRETRAINED_DIR / name
        history = json.loads((folder / 'history.json').read_text()) if (folder / 'history.json').is_file() else []
        steps = history[-1]['step'] if history else None
        out[label] = {'model': name, 'train': model.config['train'], 'key_normalized': keyed, 'unet': model.config['unet'], 'sde': model.config['sde'],
                      'steps': steps, 'denoising_error': error, 'cost': cost, 'rows': to_json(rows), 'table': format_table(rows), 'targets': targets(rows),
                      'rhythm': rhythm(sets, cfg, reference, train, split), 'history': curve(history), 'strikes': strikes(sets, onsets, model, split),
                      'sampler_settings': {s: SAMPLER_DEFAULTS[s][1] for s in cost},   # the defaults at the time (the churn was chosen again once)
                      'weights_sha256': weights_id(name), 'date': str(datetime.date.today()), 'machine': machine()}
        print(f'{label}: denoising error {error:.4f}', flush=True)
        print(out[label]['table'], '\n', json.dumps(out[label]['targets'], indent=1), flush=True)
    seconds = {**stored.get('seconds_by_run', {}), ' '.join(models): time.perf_counter() - t0}
    result = {'date': str(datetime.date.today()), 'machine': machine(), 'seed': seed, 'n': n, 'threshold': 'midpoint', 'command': models,
              'split': split, 'models': out, 'seconds_by_run': seconds}
    dest.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1))
    if dest != HERE: return result
    write_results(result, models)


def write_results(result: dict, models: list[str]):
    "The JSON's section of bench/RESULTS.md: each entry with the weights it measured, its table and its targets."
    split, seed = result['split'], result['seed']
    heading = 'Recipe comparison' + ('' if split == 'validation' else f' ({split} split)') + ('' if seed == SEED else f' (seed {seed})')
    body = (f"{heading} ({result['date']})\n\nMachine: {result['machine']}. `python bench/recipe_compare.py {'' if split == 'validation' else '--test '}{'' if seed == SEED else f'--seed {seed} '}{' '.join(models)}` (models stored before kept): "
            f"{result['n']} clips per sampler, seed {result['seed']}, midpoint rule, against the {split} split.\n\n"
            + '\n\n'.join(f"### {k}\n\nModel: {m['model']} (weights SHA-256 {m.get('weights_sha256', '?')[:12]}...; {m['steps']} training steps); sampler settings: "
                          + '; '.join(f"{s} {v or 'defaults'}" for s, v in m.get('sampler_settings', {}).items())
                          + f".\n\nHeld-out denoising error (EDM weighting, 8 fixed levels{'; on the clips moved to C major / A minor, as this key-normalized model sees them' if m.get('key_normalized') else ''}): {m['denoising_error']:.4f}\n\n{m['table']}\n\nTargets: "
                          + '; '.join(f"{t}: {'met' if v['met'] else 'not met'}" for t, v in m['targets'].items())
                          + ('' if 'strikes' not in m else '.\n\nRepeated strikes (share of onsets that strike a sounding pitch, 95 % interval; onsets per clip): '
                             + '; '.join(f"{s} {v['restrike_share']:.3f} [{v['restrike_ci'][0]:.3f}, {v['restrike_ci'][1]:.3f}] ({v['onsets_per_clip']:.1f})"
                                         for s, v in m['strikes'].items()))
                          for k, m in result['models'].items()))
    write_section(heading, body)

if __name__ == '__main__':
    smoke, test = '--smoke' in sys.argv, '--test' in sys.argv
    FAST_ONLY = '--fast-only' in sys.argv   # validation without the ODE: a quick look at a new model
    if '--results-only' in sys.argv:   # rewrite the RESULTS.md sections from the stored JSON files
        for path in sorted(HERE.glob('recipe_compare*.json')):
            r = json.loads(path.read_text()); write_results(r, r['command'])
        sys.exit()
    if '--rhythm-only' in sys.argv:
        rhythm_only(sys.argv[sys.argv.index('--rhythm-only') + 1]); sys.exit()
    seed = int(sys.argv[sys.argv.index('--seed') + 1]) if '--seed' in sys.argv else SEED
    args = [a for i, a in enumerate(sys.argv[1:], 1) if not (a.startswith('--') or sys.argv[i - 1] == '--seed')]
    models = args or ['chorales']
    split = 'test' if test else 'validation'
    main(models, 4, Path('/tmp/recipe_compare_smoke'), split, seed) if smoke else main(models, split=split, seed=seed)
