"""Before and after: trained models compared on the validation split, against issue 11's targets.

    .venv/bin/python bench/recipe_compare.py chorales runs/edm50     # about 20 minutes per model on 2 CPU cores
    .venv/bin/python bench/recipe_compare.py --smoke chorales        # a minute: 4 clips, results in /tmp/recipe_compare_smoke

For each model (a bundled name or a run folder), 128 clips (seed 200, a seed used for no choice) from the fast
samplers and the probability-flow ODE, cut by the midpoint rule (nothing tuned), evaluated with `evaluation_table`
against the validation split of the deduplicated corpus. Writes bench/recipe_compare.json and its section of
bench/RESULTS.md. The targets (issue 11), each reported as met or not:

- mean OA of the fast sampler at <= 50 NFE (heun-churn) >= 0.80;
- the deterministic samplers (ode, heun) within 0.05 mean OA of the stochastic one (heun-churn);
- at <= 20 NFE (dpmpp-2m) within 0.05 mean OA of the 49-NFE result;
- rhythmic regularity: the fast sampler's OA on that statistic within the interval of the real-vs-real row."""
import datetime, json, sys, time
from pathlib import Path

import numpy as np

from _results import machine, sampled_rolls, write_section
from pianodiff.data import load_chorales
from pianodiff.evaluate import eval_config, evaluation_table, format_table, to_json
from pianodiff.train import PRETRAINED_DIR, load_pretrained

HERE = Path(__file__).parent
SEED, N = 200, 128
SAMPLERS = ('heun-churn', 'heun', 'dpmpp-2m', 'ode')


def targets(rows: dict) -> dict:
    oa = {k: rows[k]['mean_oa'] for k in rows}
    real = rows['real: training clips']
    lo, hi = real['oa_ci']['rhythmic_regularity']
    beat = rows['heun-churn']['oa']['rhythmic_regularity']
    return {'fast >= 0.80': {'value': oa['heun-churn'], 'met': oa['heun-churn'] >= 0.80},
            'deterministic within 0.05': {'value': {k: oa[k] - oa['heun-churn'] for k in ('ode', 'heun')},
                                          'met': all(abs(oa[k] - oa['heun-churn']) <= 0.05 for k in ('ode', 'heun'))},
            '<= 20 NFE within 0.05': {'value': oa['dpmpp-2m'] - oa['heun-churn'], 'met': abs(oa['dpmpp-2m'] - oa['heun-churn']) <= 0.05},
            'rhythm within real spread': {'value': [beat, lo, hi], 'met': lo <= beat}}


def main(models: list[str], n: int = N, dest: Path = HERE):
    out, t0 = {}, time.perf_counter()
    for name in models:
        model = load_pretrained(name)
        cfg = eval_config(model.roll_cfg)
        train = load_chorales('train', model.roll_cfg, progress=False).clips.numpy()
        val = load_chorales('validation', model.roll_cfg, progress=False).clips.numpy()
        sets, cost = sampled_rolls(model, SAMPLERS, n, SEED, name)
        rows = evaluation_table(sets, val, train, cfg, n_reference_rows=n)
        folder = Path(name) if Path(name).is_dir() else PRETRAINED_DIR / name
        history = json.loads((folder / 'history.json').read_text()) if (folder / 'history.json').is_file() else []
        steps = history[-1]['step'] if history else None
        out[name] = {'train': model.config['train'], 'unet': model.config['unet'], 'steps': steps, 'cost': cost,
                     'rows': to_json(rows), 'table': format_table(rows), 'targets': targets(rows)}
        print(out[name]['table'], '\n', json.dumps(out[name]['targets'], indent=1), flush=True)
    result = {'date': str(datetime.date.today()), 'machine': machine(), 'seed': SEED, 'n': n, 'threshold': 'midpoint',
              'models': out, 'seconds': time.perf_counter() - t0}
    dest.mkdir(parents=True, exist_ok=True)
    (dest / 'recipe_compare.json').write_text(json.dumps(result, indent=1))
    if dest != HERE: return result
    body = (f"Recipe comparison ({result['date']})\n\nMachine: {result['machine']}. `python bench/recipe_compare.py {' '.join(models)}`: "
            f"{n} clips per sampler, seed {SEED}, midpoint rule, against the validation split.\n\n"
            + '\n\n'.join(f"### {k}\n\n{m['table']}\n\nTargets: " + '; '.join(f"{t}: {'met' if v['met'] else 'not met'}" for t, v in m['targets'].items())
                          for k, m in out.items()))
    write_section('Recipe comparison', body)


if __name__ == '__main__':
    smoke = '--smoke' in sys.argv
    models = [a for a in sys.argv[1:] if a != '--smoke'] or ['chorales']
    main(models, 4, Path('/tmp/recipe_compare_smoke')) if smoke else main(models)
