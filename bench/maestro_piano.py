"""`maestro`: a full-piano model of MAESTRO, trained with the project's recipe, sampled with every sampler and judged.

    .venv/bin/python bench/maestro_piano.py           # about 85 min on 2 CPU cores: training (resumes if stopped), then sampling
    .venv/bin/python bench/maestro_piano.py --smoke   # a few minutes: a tiny run and 2 clips, everything in /tmp/maestro_piano_smoke
    .venv/bin/python bench/maestro_piano.py --report  # rewrite its section of bench/RESULTS.md from the stored JSON
    .venv/bin/python bench/maestro_piano.py --memorisation  # after the run: nearest training clips among ALL of them (a few minutes)
    .venv/bin/python bench/maestro_piano.py --add-sampler dpmpp-2m-sde  # a sampler added to the book after the run: its clips beside the others

Needs MAESTRO v3: ../shared/maestro/maestro-v3.0.0-midi.zip, or the archive or folder named by $PIANODIFF_MAESTRO.
Writes bench/maestro_piano.json (drawn by the sampling chapter, nbs/06_sampling.ipynb), runs/maestro and its section
of bench/RESULTS.md.

The data: preset `piano` (all 88 keys, 8 frames a second, 8-second clips, the sustain pedal applied), MAESTRO's own
training split. The recipe is the bundled chorale model's (the training chapter): the EDM parameterisation on the VE
SDE, batch 16, learning rate 1e-3 with warm-up, augmentation, EMA weights; not tuned for MAESTRO (no choice here is
made on its validation or test clips). An epoch is cut to STEPS_PER_EPOCH steps (MAESTRO's ~70,000 training clips
would take hours), the validation loss reads VAL_CLIPS validation clips evenly spaced, and the run stops at
BUDGET_MINUTES of training, with the learning rate cooled to 0 over the last epochs of the planned schedule.

Then, with seeds used for no choice: N clips from each fast sampler (heun-churn, heun, dpmpp-2m) and N_SLOW from
each of the paper's samplers (EM, PC, ODE: 1,000 NFE each costs minutes per clip at this size), all at their
defaults, cut by the midpoint rule, judged by the evaluation chapter against REF_CLIPS validation clips evenly spaced
(beside the real-vs-real and baseline rows, whose training clips are REF_CLIPS training clips evenly spaced).
Last, once: the fast sampler's clips against the test split, for the final table. The evaluation tables look for
copies among the REF_CLIPS training clips only; `--memorisation` then regenerates the fast sampler's validation clips
(same seed, same clips) and finds each one's nearest clip among all the training clips, over the evaluation's
transpositions and shifts, beside the same for N real validation clips."""
import datetime, hashlib, json, sys, time
from pathlib import Path

import numpy as np
import torch

from _results import machine, sampled_rolls, slim, write_section
from maestro_paper import KEEP, archive, run_training
from pianodiff.data import load_maestro
from pianodiff.evaluate import border_activity, eval_config, evaluation_table, format_table

HERE = Path(__file__).parent
SEED, TEST_SEED = 300, 400
N, N_SLOW, REF_CLIPS = 32, 8, 1024
FAST, SLOW = ('heun-churn', 'heun', 'dpmpp-2m'), ('em', 'pc', 'ode')
STORED_CHURN = 1.75   # the fast sampler's churn when the stored run sampled (the default until the chorale model of 2026-12-05 chose 0.5)
BUDGET_MINUTES, EPOCHS, COOLDOWN, STEPS_PER_EPOCH, VAL_CLIPS = 58.0, 10, 3, 125, 256   # ~6.5 clips/s: 10 x 125 steps of 16 is ~53 min


def command(data: Path, out: Path, smoke: bool) -> str:
    quick = ' --limit 6 --max-steps-per-epoch 2 --epochs 2 --cooldown-epochs 1' if smoke else \
            f' --max-steps-per-epoch {STEPS_PER_EPOCH} --epochs {EPOCHS} --cooldown-epochs {COOLDOWN} --max-minutes {BUDGET_MINUTES:g}'
    return (f'pianodiff train --data {data} --preset piano --sde ve --edm --batch-size 16 --lr 1e-3 --patience 100 '
            f'--max-val-clips {VAL_CLIPS}{quick} --out {out}')


def spaced(x: np.ndarray, k: int) -> np.ndarray:
    "k rows of x evenly spaced (all of them when there are fewer): every piece has its share."
    return x if len(x) <= k else x[np.linspace(0, len(x) - 1, k).round().astype(int)]


def judge(model, data: Path, split: str, samplers, n: int, seed: int, smoke: bool, train: np.ndarray) -> dict:
    ref = spaced(load_maestro(data, split, model.roll_cfg, limit=6 if smoke else None, progress=False).clips.numpy(), REF_CLIPS)
    sets, cost = sampled_rolls(model, samplers, n, seed, f'maestro ({split})')
    rows = evaluation_table(sets, ref, train, eval_config(model.roll_cfg), n_reference_rows=n)
    return {'cost': cost, 'rows': {k: slim(v, KEEP) for k, v in rows.items()}, 'table': format_table(rows), 'n_reference': len(ref),
            'reference_borders': border_activity(ref), 'reference_density': float(ref.mean()),
            'examples': {s: sets[s][:2].astype(int).tolist() for s in samplers}}


def main(smoke: bool = False):
    torch.set_num_threads(2)
    t0 = time.perf_counter()
    data = archive()
    folder = Path('/tmp/maestro_piano_smoke') if smoke else HERE.parent / 'runs' / 'maestro'
    cmd = command(data, folder, smoke)
    run_training(cmd)
    from pianodiff.train import load_pretrained
    model = load_pretrained(folder)
    hist = json.loads((folder / 'history.json').read_text())
    train = spaced(load_maestro(data, 'train', model.roll_cfg, limit=6 if smoke else None, progress=False).clips.numpy(), REF_CLIPS)
    n, n_slow = (2, 2) if smoke else (N, N_SLOW)
    result = {'date': str(datetime.date.today()), 'machine': machine(), 'command': cmd.replace(str(data), 'maestro-v3.0.0-midi.zip').replace(str(folder), 'runs/maestro'),
              'history': hist, 'train_seconds': sum(h['seconds'] for h in hist), 'config': model.config,
              'parameters': sum(p.numel() for p in model.model.parameters()), 'seed': SEED, 'test_seed': TEST_SEED, 'ref_clips': REF_CLIPS,
              'validation': {'fast': judge(model, data, 'validation', FAST, n, SEED, smoke, train),
                             'slow': judge(model, data, 'validation', SLOW, n_slow, SEED, smoke, train)}}
    result['test'] = judge(model, data, 'test', FAST[:1], n, TEST_SEED, smoke, train)   # the test split, once
    result['seconds'] = time.perf_counter() - t0
    dest = folder if smoke else HERE
    (dest / 'maestro_piano.json').write_text(json.dumps(result, indent=1))
    if smoke: print(json.dumps({k: v['rows'] for k, v in result['validation'].items()})[:2000]); return
    report(result)


def memorisation():
    "Nearest training clips among all of them, for the fast sampler's validation clips and for as many real validation clips."
    from pianodiff.evaluate import nearest_clips
    from pianodiff.sampling import sample, to_rolls
    from pianodiff.train import load_pretrained
    torch.set_num_threads(2)
    path = HERE / 'maestro_piano.json'
    run = HERE.parent / 'runs' / 'maestro'
    result, data = json.loads(path.read_text()), archive()
    model = load_pretrained(run if (run / 'model.safetensors').is_file() else 'maestro')   # the run, or its weights as bundled (the same file)
    train = load_maestro(data, 'train', model.roll_cfg, progress=False).clips.numpy()
    real = spaced(load_maestro(data, 'validation', model.roll_cfg, progress=False).clips.numpy(), N)
    fake = to_rolls(sample(model, FAST[0], n=N, seed=SEED, progress=False, churn=STORED_CHURN).x, model, 'midpoint').numpy()
    assert fake[:2].astype(int).tolist() == result['validation']['fast']['examples'][FAST[0]], 'not the clips of the stored run'
    cfg = eval_config(model.roll_cfg)
    out = {'train_clips': len(train)}
    for name, rolls in ((FAST[0], fake), ('real: validation clips', real)):
        d = nearest_clips(rolls, train, cfg.max_transpose, cfg.max_shift)['distance']
        out[name] = {'n': len(rolls), 'exact_copies': int((d == 0).sum()), 'near_copies': int((d < cfg.near_copy).sum()),
                     'nearest_quantiles': np.quantile(d, [0.1, 0.5, 0.9]).tolist()}
        print(name, out[name], flush=True)
    result['memorisation'] = out
    path.write_text(json.dumps(result, indent=1))
    report(result)


def add_sampler(name: str):
    "One more sampler's N validation clips (seed SEED, its defaults), judged as the fast samplers were and put beside their stored rows."
    from pianodiff.evaluate import evaluate_rolls
    from pianodiff.sampling import SAMPLERS
    from pianodiff.train import PRETRAINED_DIR, load_pretrained
    torch.set_num_threads(2)
    path = HERE / 'maestro_piano.json'
    result, data = json.loads(path.read_text()), archive()
    part = result['validation']['fast']
    if name not in SAMPLERS: sys.exit(f"unknown sampler {name!r}: one of {', '.join(SAMPLERS)}")
    if name in part['rows']: sys.exit(f"{name} is already in {path}")
    run = HERE.parent / 'runs' / 'maestro'
    weights = (run if (run / 'model.safetensors').is_file() else PRETRAINED_DIR / 'maestro') / 'model.safetensors'
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    bundled = hashlib.sha256((PRETRAINED_DIR / 'maestro' / 'model.safetensors').read_bytes()).hexdigest()
    if digest != bundled: sys.exit(f"{weights} are not the bundled maestro weights, whose stored run this JSON holds: use those")
    model = load_pretrained(weights.parent)
    ref = spaced(load_maestro(data, 'validation', model.roll_cfg, progress=False).clips.numpy(), REF_CLIPS)
    train = spaced(load_maestro(data, 'train', model.roll_cfg, progress=False).clips.numpy(), REF_CLIPS)
    if len(ref) != part['n_reference']: sys.exit(f"{len(ref)} validation clips, the stored rows read {part['n_reference']}: not the same reference")
    sets, cost = sampled_rolls(model, (name,), N, SEED, 'maestro (validation)')
    row = evaluate_rolls(sets[name], ref, train, eval_config(model.roll_cfg))
    samplers = [k for k in part['rows'] if not k.startswith(('real', 'baseline'))]
    part['rows'] = {**{k: part['rows'][k] for k in samplers}, name: slim(row, KEEP), **{k: v for k, v in part['rows'].items() if k not in samplers}}
    lines = part['table'].split('\n')
    lines.insert(2 + len(samplers), format_table({name: row}).split('\n')[-1])   # after the samplers' rows, before the references
    part['table'] = '\n'.join(lines)
    part['cost'][name], part['examples'][name] = cost[name], sets[name][:2].astype(int).tolist()
    result.setdefault('added', {})[name] = {'date': str(datetime.date.today()), 'machine': machine(), 'weights_sha256': digest}
    path.write_text(json.dumps(result, indent=1))
    report(result)


def report(result: dict):
    "Write the section of bench/RESULTS.md from a stored result."
    d, v = result['config']['data'], result['validation']
    cost = lambda part: ', '.join(f"{s} {c['nfe']} NFE {c['seconds']:.0f} s" for s, c in part['cost'].items())
    body = (f"Machine: {result['machine']}. `python bench/maestro_piano.py`, {result['seconds'] / 60:.0f} min in all "
            f"(MAESTRO parsing and sampling included). Training: `{result['command']}`: {len(result['history'])} epochs of at most "
            f"{STEPS_PER_EPOCH} steps ({result['history'][-1]['step']} steps, {result['history'][-1]['step'] * 16 / d['train_clips']:.2f} passes over "
            f"{d['train_clips']:,} training clips) in {result['train_seconds'] / 60:.0f} min; best validation loss (EMA) "
            f"{min(h['val_loss_ema'] for h in result['history']):.4f}; {result['parameters']:,} parameters.\n\n"
            f"Validation split ({v['fast']['n_reference']} clips evenly spaced), fast samplers, seed {result['seed']} ({cost(v['fast'])}):\n\n{v['fast']['table']}\n\n"
            f"The paper's samplers, {v['slow']['rows']['em']['n']} clips each ({cost(v['slow'])}):\n\n{v['slow']['table']}\n\n"
            f"Test split, once ({result['test']['n_reference']} clips evenly spaced), the fast sampler, seed {result['test_seed']}:\n\n{result['test']['table']}")
    if 'added' in result:
        body += '\n\nAdded to the fast samplers\' table after the run, by `--add-sampler` (same weights, seed and reference clips): ' + \
                ', '.join(f"{k} ({v['date']})" for k, v in result['added'].items()) + '.'
    if 'memorisation' in result:
        m = result['memorisation']
        body += (f"\n\nMemorisation against all {m['train_clips']:,} training clips (`--memorisation`; Jaccard distance, over transpositions and shifts): "
                 + '; '.join(f"{k}: {v['exact_copies']} exact and {v['near_copies']} near copies in {v['n']}, nearest distance 10/50/90 % "
                             + '/'.join(f'{q:.2f}' for q in v['nearest_quantiles']) for k, v in m.items() if k != 'train_clips') + '.')
    write_section('maestro: the full-piano model', f"maestro: the full-piano model ({result['date']})\n\n" + body)
    print(body)


if __name__ == '__main__':
    if '--report' in sys.argv: report(json.loads((HERE / 'maestro_piano.json').read_text()))
    elif '--memorisation' in sys.argv: memorisation()
    elif '--add-sampler' in sys.argv: add_sampler(sys.argv[sys.argv.index('--add-sampler') + 1])
    else: main(smoke='--smoke' in sys.argv)
