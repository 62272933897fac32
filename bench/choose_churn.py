"""The churn of the fast sampler (Heun with churn, 25 levels, 49 NFE), chosen for a model on the validation split.

    .venv/bin/python bench/choose_churn.py [MODEL]           # about 8 minutes on 2 CPU cores; MODEL: bundled name or run folder
    .venv/bin/python bench/choose_churn.py --smoke [MODEL]   # a minute: 4 clips, 3 levels, results in /tmp/choose_churn_smoke

For each churn gamma in CHURNS, 64 clips (seed 9101: a seed used for this choice only, never for a reported number),
cut by the midpoint rule and evaluated with `evaluate_rolls` against the validation split. The choice is the churn with
the highest mean OA; with 64 clips the intervals are about +-0.03 wide, so neighbouring values are not told apart,
and the JSON keeps every row. The reported numbers (bench/recipe_compare.py, seed 200, and the test split) use other
seeds. Writes bench/churn_choice.json and its section of bench/RESULTS.md."""
import datetime, hashlib, json, sys, time
from pathlib import Path

from _results import machine, write_section
from pianodiff.data import load_chorales
from pianodiff.evaluate import eval_config, evaluate_rolls
from pianodiff.sampling import sample, to_rolls
from pianodiff.train import PRETRAINED_DIR, load_pretrained

HERE = Path(__file__).parent
SEED, N = 9101, 64
CHURNS = (0.0, 0.5, 1.0, 1.75, 2.5)


def main(name: str = 'chorales', n: int = N, churns=CHURNS, dest: Path = HERE) -> dict:
    t0 = time.perf_counter()
    model = load_pretrained(name)
    cfg = eval_config(model)
    val = load_chorales('validation', model.roll_cfg, progress=False).clips.numpy()
    rows = []
    for churn in churns:
        r = sample(model, 'heun', n=n, seed=SEED, steps=25, churn=churn, progress=False)
        rolls = to_rolls(r.x, model, 'midpoint').numpy()
        e = evaluate_rolls(rolls, val, None, cfg)
        rows.append({'churn': churn, 'nfe': r.nfe, 'seconds': r.seconds, 'density': float(rolls.mean()),
                     'mean_oa': e['mean_oa'], 'mean_oa_ci': list(e['mean_oa_ci']), 'oa': e['oa']})
        print(f"churn {churn:g}: mean OA {e['mean_oa']:.3f} [{e['mean_oa_ci'][0]:.3f}, {e['mean_oa_ci'][1]:.3f}], density {rows[-1]['density']:.4f}, {r.seconds:.0f} s", flush=True)
    best = max(rows, key=lambda r: r['mean_oa'])
    folder = Path(name) if Path(name).is_dir() else PRETRAINED_DIR / name
    weights = hashlib.sha256((folder / 'model.safetensors').read_bytes()).hexdigest()   # which weights the choice was made for
    result = {'date': str(datetime.date.today()), 'machine': machine(), 'model': name, 'weights_sha256': weights, 'seed': SEED, 'n': n, 'split': 'validation',
              'threshold': 'midpoint', 'validation_density': float(val.mean()), 'rows': rows, 'chosen': best['churn'],
              'seconds': time.perf_counter() - t0}
    dest.mkdir(parents=True, exist_ok=True)
    (dest / 'churn_choice.json').write_text(json.dumps(result, indent=1))
    if dest == HERE:
        table = '\n'.join(['| churn | NFE | density | mean OA [95 % CI] |', '|---|---|---|---|']
                          + [f"| {r['churn']:g} | {r['nfe']} | {r['density']:.4f} | {r['mean_oa']:.3f} [{r['mean_oa_ci'][0]:.3f}, {r['mean_oa_ci'][1]:.3f}] |" for r in rows])
        write_section('Churn of the fast sampler', f"Churn of the fast sampler ({result['date']})\n\nMachine: {result['machine']}. "
                      f"`python bench/choose_churn.py {name}`: {n} clips per churn, seed {SEED} (used for this choice only), midpoint rule, "
                      f"against the validation split (density {result['validation_density']:.4f}); {result['seconds']:.0f} s.\n\n{table}\n\n"
                      f"Chosen: churn {best['churn']:g} (highest mean OA).")
    return result


if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if '--smoke' in sys.argv: main(*(args or ['chorales']), n=4, churns=(0.0, 1.0, 2.0), dest=Path('/tmp/choose_churn_smoke'))
    else: main(*(args or ['chorales']))
