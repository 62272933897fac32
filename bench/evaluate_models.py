"""Where the bundled models stand: every bundled model and sampler, evaluated against real chorales.

    .venv/bin/python bench/evaluate_models.py           # about 40 min on 2 CPU cores (EM and PC: 1000 NFE each)
    .venv/bin/python bench/evaluate_models.py --smoke   # a minute: 4 clips, fast samplers only, results in /tmp

Writes bench/evaluation.json (read by the evaluation chapter, nbs/07_evaluate.ipynb), bench/evaluation.png
and its section of bench/RESULTS.md.

For each bundled model, N clips (seed 100: a seed used for no choice) from each sampler at its defaults, cut into
binary rolls by two rules: 'midpoint' (halfway between silence and a note: nothing tuned, the sampler's own
output) and 'density' (the threshold that gives the training set's note density, what `pianodiff sample` writes
by default; it sets the note density by construction, so its density OA says nothing). Each set is evaluated with
`evaluation_table` against the validation split of the deduplicated chorale corpus, with the training clips for
the references and memorisation. The test split is not touched.

Where ../shared is present, the seed paper's own samples (../shared/anchors, 12 per sampler) are evaluated the
same way against MAESTRO clips of the paper's code (the first 28 s of each performance, pitches 56..83)."""
import datetime, json, sys, time
from dataclasses import replace
from pathlib import Path

import numpy as np

from _results import machine, sampled_rolls, slim, write_section
from pianodiff.data import PAPER_FIRST_CLIP, download_maestro, load_chorales, load_maestro
from pianodiff.evaluate import (border_activity, eval_config, evaluation_table, format_statistics, format_table, nearest_clips,
                                plot_statistics)
from pianodiff.roll import cache_dir
from pianodiff.sampling import SAMPLERS
from pianodiff.train import PRETRAINED, load_pretrained

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / 'shared'
SEED = 100


def memorisation_reference(val, train, cfg) -> dict:
    near = nearest_clips(val, train, cfg.max_transpose, cfg.max_shift)['distance']
    return {'median': float(np.median(near)), 'exact_copies': int((near == 0).sum()),
            'near_copies': int((near < cfg.near_copy).sum()), 'n': len(near)}


def evaluate_model(name: str, n: int, samplers, out: dict) -> dict:
    model = load_pretrained(name)
    preset_name = model.config['data']['preset']
    cfg = eval_config(model)
    train = load_chorales('train', model.roll_cfg, progress=False).clips.numpy()
    val = load_chorales('validation', model.roll_cfg, progress=False).clips.numpy()
    sets, cost = sampled_rolls(model, samplers, n, SEED, name, rules=('midpoint', 'density'))
    t = time.perf_counter()
    rows = evaluation_table(sets, val, train, cfg, n_reference_rows=n)
    print(f'{name}: evaluated in {time.perf_counter() - t:.0f} s', flush=True)
    mem = memorisation_reference(val, train, cfg)
    fast = 'heun-churn' if 'heun-churn' in samplers else samplers[-1]
    out[name] = {'description': f"{model.config['data']['dataset']}, {preset_name} preset, {type(model.sde).__name__}, "
                                f"{len(train)} training and {len(val)} validation clips",
                 'preset': preset_name, 'cost': cost, 'rows': {k: slim(v) for k, v in rows.items()},
                 'memorisation_reference': mem,
                 'table': format_table(rows) + f"\n\nValidation clips against the training clips (the memorisation reference): "
                          f"median nearest {mem['median']:.2f}, exact copies {mem['exact_copies']} of {mem['n']}, "
                          f"near copies (< {cfg.near_copy}) {mem['near_copies']}.",
                 'fast_statistics': format_statistics(rows[fast])}
    return rows


def paper_anchors(tmp: Path) -> dict | None:
    "The seed paper's samples against MAESTRO clips as its code made them; None without ../shared."
    anchors, archive = SHARED / 'anchors' / 'seed_samples.npz', SHARED / 'maestro' / 'maestro-v3.0.0-midi.zip'
    if not (anchors.is_file() and archive.is_file()): return None
    root = download_maestro(cache_dir() / 'maestro', url=archive.resolve().as_uri(), progress=False)
    roll_cfg = replace(PAPER_FIRST_CLIP, highest_pitch=83)   # the anchors hold pitches 56..83
    val = load_maestro(root, 'validation', roll_cfg, progress=False).clips.numpy()
    train = load_maestro(root, 'train', roll_cfg, progress=False).clips.numpy()
    with np.load(anchors) as z: sets = {f'paper code: {k}': z[k].astype(bool) for k in ('em', 'pc', 'ode')}
    cfg = eval_config(roll_cfg)
    rows = evaluation_table(sets, val, train, cfg, n_reference_rows=12)
    lines = ['| set | first frame | last frame | lowest pitch | highest pitch | interior |', '|---|---|---|---|---|---|']
    for k, b in [('MAESTRO validation clips', border_activity(val))] + [(k, rows[k]['borders']) for k in sets]:
        lines.append(f"| {k} | {b['first_frame']:.3f} | {b['last_frame']:.3f} | {b['lowest_pitch']:.3f} | {b['highest_pitch']:.3f} | {b['interior']:.3f} |")
    return {'note': f"MAESTRO v3 with the paper code's preprocessing (first 28 s of each performance, 1 frame/s, pitches 56..83): "
                    f"{len(train)} training and {len(val)} validation clips; 12 samples per sampler, so the intervals are wide.",
            'rows': {k: slim(v) for k, v in rows.items()}, 'table': format_table(rows),
            'borders': 'Share of sounding cells on each edge of the roll and in the interior:\n\n' + '\n'.join(lines)}


def summary(models: dict) -> str:
    "A paragraph written from the numbers, so that it cannot go stale."
    out = []
    for name, m in models.items():
        r = m['rows']
        real, markov, bern = (r[k]['mean_oa'] for k in ('real: training clips', 'baseline: per-pitch Markov', 'baseline: per-pitch Bernoulli'))
        samplers = [k for k in r if not k.startswith(('real', 'baseline')) and 'density rule' not in k]
        best = max(samplers, key=lambda k: r[k]['mean_oa'])
        worst = min(samplers, key=lambda k: r[k]['mean_oa'])
        beat = {k: r[k]['oa'].get('rhythmic_regularity') for k in samplers + ['real: training clips']}
        line = (f"{name}: real training clips reach a mean OA of {real:.3f} against the validation clips, the per-pitch Markov chain "
                f"{markov:.3f} and the Bernoulli coin {bern:.3f}. The samplers (midpoint rule) range from {r[worst]['mean_oa']:.3f} "
                f"({worst}) to {r[best]['mean_oa']:.3f} ({best}); "
                f"{sum(r[k]['mean_oa'] > markov for k in samplers)} of {len(samplers)} beat the Markov chain.")
        if beat['real: training clips'] is not None:
            line += (f" Rhythmic regularity OA: real {beat['real: training clips']:.2f}, samplers "
                     + ', '.join(f'{k} {v:.2f}' for k, v in beat.items() if k in samplers) + '.')
        copies = sum(r[k].get('exact_copies', 0) for k in samplers)
        line += f" Exact copies of training clips among all samples: {copies}."
        out.append(line)
    return '\n\n'.join(out)


def main(smoke: bool = False):
    n = 4 if smoke else 32
    samplers = ['heun', 'heun-churn'] if smoke else list(SAMPLERS)
    dest = Path('/tmp/evaluation_smoke') if smoke else HERE
    dest.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    models, figure_rows = {}, None
    for name in PRETRAINED:
        if not name.startswith('chorales'): continue   # the MAESTRO models: bench/maestro_paper.py
        rows = evaluate_model(name, n, samplers, models)
        if name == 'chorales':
            keep = [s for s in ('pc', 'ode', 'heun-churn') if s in rows] + ['real: training clips', 'baseline: per-pitch Markov']
            figure_rows = {k: rows[k] for k in keep}
    anchors = None if smoke else paper_anchors(dest)
    result = {'date': str(datetime.date.today()), 'machine': machine(), 'seed': SEED, 'n': n, 'split': 'validation',
              'samplers': samplers, 'models': models, 'paper_anchors': anchors, 'summary': summary(models),
              'seconds': time.perf_counter() - t0}
    (dest / 'evaluation.json').write_text(json.dumps(result, indent=1))
    fig = plot_statistics(figure_rows)
    fig.suptitle(f'bundled chorales model, {n} clips per sampler (midpoint rule), against the validation clips (black)', fontsize=9, y=1.01)
    fig.savefig(dest / 'evaluation.png', dpi=80, bbox_inches='tight')
    if not smoke:
        body = (f"Machine: {result['machine']}. `python bench/evaluate_models.py`: {n} clips per sampler, seed {SEED}, against the "
                f"validation split; {result['seconds']:.0f} s in all. Rows 'X (density rule)' are the same samples cut at the "
                "training density (their density OA is set by construction).\n\n"
                + '\n\n'.join(f"### {k}\n\n{m['description']}\n\n{m['table']}" for k, m in models.items())
                + f"\n\n{result['summary']}")
        if anchors: body += f"\n\n### The paper's own samples\n\n{anchors['note']}\n\n{anchors['table']}\n\n{anchors['borders']}"
        write_section('Evaluation of the bundled models', f"Evaluation of the bundled models ({result['date']})\n\n" + body)
    print(result['summary'])


if __name__ == '__main__':
    main(smoke='--smoke' in sys.argv)
