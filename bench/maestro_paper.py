"""The paper's experiment on the paper's data, and the paper's network beside ours.

    .venv/bin/python bench/maestro_paper.py           # about 80 min on 2 CPU cores: three trainings (each resumes if stopped), then sampling
    .venv/bin/python bench/maestro_paper.py --smoke   # five minutes: tiny runs and 4 clips, everything in /tmp/maestro_paper_smoke
    .venv/bin/python bench/maestro_paper.py --networks  # about 30 to 50 min by machine: only the two networks at equal cost (trained
                                                        # again unless their run folders exist), N_NETWORKS clips each; the rest of the JSON kept
    .venv/bin/python bench/maestro_paper.py --report  # rewrite its section of bench/RESULTS.md from the stored JSON

Needs MAESTRO v3: ../shared/maestro/maestro-v3.0.0-midi.zip, or the archive or folder named by $PIANODIFF_MAESTRO.
Writes bench/maestro_paper.json (drawn by the training chapter, nbs/05_train.ipynb), the run folders under runs/
and its section of bench/RESULTS.md.

Three trainings on MAESTRO's training split, the validation split for the validation loss:

1. `maestro-paper`, the paper's protocol: the first 28 s of each performance (preset `paper-first-clip`: 29 pitches,
   1 frame per second), the tutorial VE SDE (sigma = 25), batch 32, learning rate 1e-4, 50 epochs, on 0/1 rolls
   without augmentation, with this book's U-Net. This is the bundled model of that name.
2. and 3. The two networks at equal cost: the paper's ScoreNet and this book's U-Net, each trained with the same
   protocol on the paper code's own rolls (preset `paper-code`: pitches 56..83, the only shape ScoreNet takes) for
   the same wall-clock budget of BUDGET_MINUTES minutes (no epoch starts after it; the patience is the run's length).

Then N clips (N_NETWORKS for the two networks; seed 100, used for no choice) from each model with each of the paper's samplers (EM, PC, the ODE) at
their defaults, cut into binary rolls by the midpoint rule (nothing tuned), each set judged by the evaluation
chapter's `evaluation_table` against the validation clips (mean OA with bootstrap intervals, the real-vs-real and
baseline rows, memorisation against the training clips) and by `border_activity`. The two networks are compared by
`mean_oa_difference` per sampler: the U-Net's mean OA minus ScoreNet's, with a bootstrap interval that resamples the
clips of both sets and of the shared validation reference; "clearly better" means that interval lies above zero. The paper's published samples
(../shared/anchors, 12 per sampler) are judged the same way against the validation clips of `paper-code`. The test
split is not touched."""
import datetime, json, os, shlex, sys, time
from pathlib import Path

import numpy as np
import torch

from _results import machine, sampled_rolls, slim, write_section
from pianodiff.data import load_maestro
from pianodiff.evaluate import border_activity, eval_config, evaluation_table, format_table, mean_oa_difference, to_json
from pianodiff.train import load_pretrained, train_from_args, train_parser
from pianodiff.unet import benchmark_unet

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / 'shared'
SEED, N, N_NETWORKS, BUDGET_MINUTES = 100, 32, 128, 8.0
SAMPLERS = ('em', 'pc', 'ode')
KEEP = ('n', 'n_reference', 'mean_oa', 'mean_oa_ci', 'oa', 'means', 'borders', 'exact_copies', 'near_copies')
PROTOCOL = '--sde tutorial-ve --uncentered --no-augment --lr 1e-4 --warmup-steps 0 --batch-size 32'


def archive() -> Path:
    path = Path(os.environ.get('PIANODIFF_MAESTRO', SHARED / 'maestro' / 'maestro-v3.0.0-midi.zip'))
    if not path.exists(): sys.exit(f"MAESTRO not found at {path}: set PIANODIFF_MAESTRO to the MAESTRO v3 zip or folder")
    return path


def runs(data: Path, out: Path, smoke: bool) -> dict[str, str]:
    "The three training commands, by run name."
    quick = ' --limit 24 --max-steps-per-epoch 2' if smoke else ''
    budget = 0.05 if smoke else BUDGET_MINUTES
    base = f'pianodiff train --data {data} {PROTOCOL}{quick}'
    return {'maestro-paper': f'{base} --preset paper-first-clip --epochs {2 if smoke else 50} --out {out / "maestro-paper"}',
            'scorenet': f'{base} --preset paper-code --arch scorenet --epochs 1000 --patience 1000 --max-minutes {budget:g} --out {out / "maestro-scorenet"}',
            'unet': f'{base} --preset paper-code --epochs 1000 --patience 1000 --max-minutes {budget:g} --out {out / "maestro-unet-28"}'}


def run_training(command: str) -> Path:
    "Train (or resume, or find finished) the run of `command`; its folder."
    args = train_parser().parse_args(shlex.split(command)[2:] + ['--resume', '--quiet'])
    folder = Path(args.out)
    done = folder / 'history.json'
    if done.exists():   # finished or interrupted: finished if the budget or the epochs are spent
        hist = json.loads(done.read_text())
        spent = args.max_minutes is not None and sum(h['seconds'] for h in hist) >= 60 * args.max_minutes
        if spent or len(hist) >= args.epochs: return folder
    t = time.perf_counter()
    print(f'training: {command}', flush=True)
    train_from_args(args)
    print(f'  done in {time.perf_counter() - t:.0f} s', flush=True)
    return folder


def judge(model, data: Path, n: int, name: str, smoke: bool, keep: dict | None = None) -> dict:
    "Samples of `model` with the paper's samplers, judged against the validation clips of its preset (the rolls and the clips put in `keep` when given)."
    limit = 24 if smoke else None
    val = load_maestro(data, 'validation', model.roll_cfg, limit=limit, progress=False).clips.numpy()
    train = load_maestro(data, 'train', model.roll_cfg, limit=limit, progress=False).clips.numpy()
    sets, cost = sampled_rolls(model, SAMPLERS, n, SEED, name)
    rows = evaluation_table(sets, val, train, eval_config(model.roll_cfg), n_reference_rows=n)
    if keep is not None: keep.update(sets=sets, validation=val, cfg=eval_config(model.roll_cfg))
    return {'cost': cost, 'rows': {k: slim(v, KEEP) for k, v in rows.items()}, 'table': format_table(rows),
            'validation_borders': border_activity(val), 'validation_density': float(val.mean()),
            'examples': {s: sets[s][:4].astype(int).tolist() for s in SAMPLERS},   # Figure 6: four clips per sampler
            'n_validation': len(val), 'n_train': len(train)}


def describe(folder: Path, command: str) -> dict:
    hist = json.loads((folder / 'history.json').read_text())
    model = load_pretrained(folder)
    seconds = sum(h['seconds'] for h in hist)
    best = min(hist, key=lambda h: h['val_loss_ema'])
    bench = benchmark_unet(model.model.requires_grad_(True).train(), model.roll_cfg.n_pitches, model.roll_cfg.clip_frames)   # a training step's cost
    return {'command': command, 'history': hist, 'epochs': len(hist), 'steps': hist[-1]['step'], 'seconds': seconds,
            'train_clips': model.config['data']['train_clips'], 'val_clips': model.config['data']['val_clips'],
            'clips_per_second': model.config['data']['train_clips'] * len(hist) / seconds,   # whole epochs, validation included
            'train_clips_per_s': bench['train_clips_per_s'], 'parameters': sum(p.numel() for p in model.model.parameters()),
            'best_epoch': best['epoch'], 'best_val_loss_ema': best['val_loss_ema'], 'arch': model.config['unet'].get('arch', 'unet')}


def anchors(data: Path, smoke: bool) -> dict | None:
    path = SHARED / 'anchors' / 'seed_samples.npz'
    if not path.is_file(): return None
    limit = 24 if smoke else None
    val = load_maestro(data, 'validation', 'paper-code', limit=limit, progress=False).clips.numpy()
    train = load_maestro(data, 'train', 'paper-code', limit=limit, progress=False).clips.numpy()
    with np.load(path) as z: sets = {k: z[k].astype(bool) for k in SAMPLERS}
    rows = evaluation_table(sets, val, train, eval_config('paper-code'), n_reference_rows=12)
    return {'rows': {k: slim(v, KEEP) for k, v in rows.items()}, 'table': format_table(rows),
            'examples': {k: v[:4].astype(int).tolist() for k, v in sets.items()}}


def compare(kept: dict) -> dict:
    "Per sampler, the U-Net's mean OA minus ScoreNet's against the same validation clips, with its bootstrap interval."
    return {x: mean_oa_difference(kept['unet']['sets'][x], kept['scorenet']['sets'][x], kept['unet']['validation'], kept['unet']['cfg'])
            for x in SAMPLERS}


def main(smoke: bool = False, networks: bool = False):
    torch.set_num_threads(2)
    t0 = time.perf_counter()
    data = archive()
    out = Path('/tmp/maestro_paper_smoke') if smoke else HERE.parent / 'runs'
    dest = out if smoke else HERE
    out.mkdir(parents=True, exist_ok=True)
    n, n_networks = (4, 8) if smoke else (N, N_NETWORKS)
    commands = runs(data, out, smoke)
    if networks: commands = {k: commands[k] for k in ('scorenet', 'unet')}
    folders = {k: run_training(c) for k, c in commands.items()}   # one at a time: two torch jobs on 2 cores slow each other tenfold
    if networks:   # the stored result, with the two networks' entries replaced
        if not (dest / 'maestro_paper.json').is_file(): sys.exit(f"--networks updates {dest / 'maestro_paper.json'}, which does not exist: run without --networks first")
        result = json.loads((dest / 'maestro_paper.json').read_text())
        result.update(date_networks=str(datetime.date.today()), machine_networks=machine())
    else:
        result = {'date': str(datetime.date.today()), 'machine': machine(), 'seed': SEED, 'n': n, 'split': 'validation',
                  'budget_minutes': 0.05 if smoke else BUDGET_MINUTES, 'runs': {}, 'samples': {}}
    result['n_networks'] = n_networks
    kept = {}
    for k, f in folders.items():
        result['runs'][k] = describe(f, commands[k].replace(str(data), 'MAESTRO.zip'))
        kept[k] = {}
        result['samples'][k] = judge(load_pretrained(f), data, n_networks if k in ('scorenet', 'unet') else n, k, smoke, kept[k])
    result['comparison'] = to_json(compare(kept))
    if not networks: result['anchors'] = anchors(data, smoke)
    result['seconds' + ('_networks' if networks else '')] = time.perf_counter() - t0
    (dest / 'maestro_paper.json').write_text(json.dumps(result, indent=1))
    if smoke: print(json.dumps({k: v['rows'] for k, v in result['samples'].items()})[:2000], json.dumps(result['comparison'])); return
    report(result)


def verdict(r: dict, s: dict, c: dict) -> str:
    "Is the U-Net clearly better than ScoreNet at equal wall time? In validation loss, and in each sampler's mean OA (the interval of the difference above zero)."
    loss = r['unet']['best_val_loss_ema'] < r['scorenet']['best_val_loss_ema']
    clear = [x for x in SAMPLERS if c[x]['difference_ci'][0] > 0]
    worse = [x for x in SAMPLERS if c[x]['difference_ci'][1] < 0]
    diffs = '; '.join(f"{x.upper()} {c[x]['difference']:+.3f} [{c[x]['difference_ci'][0]:+.3f}, {c[x]['difference_ci'][1]:+.3f}]" for x in SAMPLERS)
    return (f"At equal wall time the U-Net's validation loss (same loss, same SDE, same clips) is {'lower' if loss else 'not lower'} "
            f"({r['unet']['best_val_loss_ema']:.4f} against {r['scorenet']['best_val_loss_ema']:.4f}). Mean OA, U-Net minus ScoreNet, "
            f"{s['unet']['rows'][SAMPLERS[0]]['n']} clips each: {diffs}. Clearly better (interval above zero) with "
            f"{', '.join(x.upper() for x in clear) or 'no sampler'}; clearly worse with {', '.join(x.upper() for x in worse) or 'none'}.")


def report(result: dict):
    "Write the section of bench/RESULTS.md from a stored result."
    r, s, n = result['runs'], result['samples'], result['n']
    oa = lambda row: f"{row['mean_oa']:.3f} [{row['mean_oa_ci'][0]:.3f}, {row['mean_oa_ci'][1]:.3f}]"
    lines = ['| network | rolls | parameters | epochs in budget | clips/s (whole epochs) | clips/s (one training step) | best validation loss (EMA) | '
             + ' | '.join(f'mean OA {x.upper()}' for x in SAMPLERS) + ' |', '|---|---|---|---|---|---|---|' + '---|' * len(SAMPLERS)]
    for k in ('scorenet', 'unet'):
        lines.append(f"| {'ScoreNet (the paper)' if k == 'scorenet' else 'U-Net (this book)'} | 28 x 28 | {r[k]['parameters']:,} | {r[k]['epochs']} | "
                     f"{r[k]['clips_per_second']:.0f} | {r[k]['train_clips_per_s']:.0f} | {r[k]['best_val_loss_ema']:.4f} | "
                     + ' | '.join(oa(s[k]['rows'][x]) for x in SAMPLERS) + ' |')
    again = (f". On {result['date_networks']} (machine: {result['machine_networks']}) the two networks were trained again, one after the other "
             f"({(r['scorenet']['seconds'] + r['unet']['seconds']) / 60:.0f} min of training), and `--networks` sampled and judged them "
             f"({result['seconds_networks'] / 60:.0f} min; this includes the trainings only when it ran them itself)"
             if 'seconds_networks' in result else '')
    body = (f"Machine: {result['machine']}. `python bench/maestro_paper.py`, {result['seconds'] / 60:.0f} min in all (MAESTRO parsing included){again}. "
            f"MAESTRO v3, validation split; {n} clips per sampler for `maestro-paper`, {result.get('n_networks', n)} for the two networks "
            f"(seed {result['seed']}, midpoint rule).\n\n"
            f"The two networks, each trained for {result['budget_minutes']:g} minutes on the paper code's rolls (preset paper-code):\n\n" + '\n'.join(lines)
            + '\n\n' + verdict(r, s, result['comparison'])
            + "\n\nThe paper's protocol with this book's U-Net (`maestro-paper`, preset paper-first-clip): "
            + f"{r['maestro-paper']['epochs']} epochs in {r['maestro-paper']['seconds'] / 60:.0f} min, best validation loss (EMA) "
            + f"{r['maestro-paper']['best_val_loss_ema']:.4f}.\n\n" + s['maestro-paper']['table']
            + (f"\n\nThe paper's published samples (12 per sampler) against the paper-code validation clips:\n\n{result['anchors']['table']}"
               if result['anchors'] else ''))
    dates = result['date'] + (f"; the two networks {result['date_networks']}" if 'date_networks' in result else '')
    write_section("The paper's experiment on MAESTRO", f"The paper's experiment on MAESTRO ({dates})\n\n" + body)
    print(body)


if __name__ == '__main__':
    if '--report' in sys.argv: report(json.loads((HERE / 'maestro_paper.json').read_text()))   # rewrite the RESULTS section only
    else: main(smoke='--smoke' in sys.argv, networks='--networks' in sys.argv)
