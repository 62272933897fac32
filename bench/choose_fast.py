"""Which sampler should be the fast one (at most 50 NFE)? Chosen for a model on the validation split.

    .venv/bin/python bench/choose_fast.py [MODEL]           # about 6 minutes on 2 CPU cores; MODEL: bundled name or run folder
    .venv/bin/python bench/choose_fast.py --smoke [MODEL]   # a minute: 4 clips, results in /tmp/choose_fast_smoke
    .venv/bin/python bench/choose_fast.py --confirm         # after the choice, once: the chosen against heun-churn on the
                                                            # reporting seed 200, validation and test split (about 5 minutes)
    .venv/bin/python bench/choose_fast.py --report          # rewrite its section of bench/RESULTS.md from the stored JSON

The candidates, fixed before any was drawn: Heun with churn at its chosen churn (25 levels, 49 NFE: the fast sampler
until now), and DPM-Solver++(2M) on the reverse SDE (eta = 1) at 20, 35 and 49 levels (as many NFE). For each, 128
clips (seed 9102: a seed used for this choice only, never for a reported number), cut by the midpoint rule and
evaluated with `evaluate_rolls` against the validation split; the paired question "is the best clearly ahead of
Heun with churn?" is answered by `mean_oa_difference` (both sets against the same validation clips). The choice is
the candidate with the highest mean OA; it replaces the default only if it is clearly ahead of Heun with churn on this choice's seed
(9102: the interval of the paired difference above zero) and `--confirm` then finds it clearly ahead on the reporting seed, on
the validation split (`--confirm` refuses a pick that is not clearly ahead, keeping the test split's look). The reported numbers use other seeds (bench/recipe_compare.py: seed 200,
and the test split once). Writes bench/fast_choice.json and its section of bench/RESULTS.md."""
import datetime, hashlib, json, sys, time
from pathlib import Path

from _results import machine, write_section
from pianodiff.data import load_chorales
from pianodiff.evaluate import eval_config, evaluate_rolls, mean_oa_difference, to_json
from pianodiff.sampling import SAMPLERS, sample, to_rolls
from pianodiff.train import PRETRAINED_DIR, load_pretrained

HERE = Path(__file__).parent
SEED, N, REPORT_SEED = 9102, 128, 200
CANDIDATES = {'heun-churn': ('heun-churn', {}), 'dpmpp-2m-sde, 20 levels': ('dpmpp-2m-sde', {'steps': 20}),
              'dpmpp-2m-sde, 35 levels': ('dpmpp-2m-sde', {'steps': 35}), 'dpmpp-2m-sde, 49 levels': ('dpmpp-2m-sde', {'steps': 49})}


def main(name: str = 'chorales', n: int = N, dest: Path = HERE) -> dict:
    t0 = time.perf_counter()
    model = load_pretrained(name)
    cfg = eval_config(model)
    val = load_chorales('validation', model.roll_cfg, progress=False).clips.numpy()
    rows, sets = [], {}
    for label, (sampler, kwargs) in CANDIDATES.items():
        r = sample(model, sampler, n=n, seed=SEED, progress=False, **kwargs)
        sets[label] = to_rolls(r.x, model, 'midpoint').numpy()
        e = evaluate_rolls(sets[label], val, None, cfg)
        rows.append({'candidate': label, 'sampler': sampler, 'settings': {**SAMPLERS[sampler][1], **kwargs}, 'nfe': r.nfe, 'seconds': r.seconds,
                     'density': float(sets[label].mean()), 'mean_oa': e['mean_oa'], 'mean_oa_ci': list(e['mean_oa_ci']), 'oa': e['oa']})
        print(f"{label}: {r.nfe} NFE, mean OA {e['mean_oa']:.3f} [{e['mean_oa_ci'][0]:.3f}, {e['mean_oa_ci'][1]:.3f}], "
              f"density {rows[-1]['density']:.4f}, {r.seconds:.0f} s", flush=True)
    best = max(rows, key=lambda r: r['mean_oa'])
    paired = {r['candidate']: mean_oa_difference(sets[r['candidate']], sets['heun-churn'], val, cfg) for r in rows if r['candidate'] != 'heun-churn'}
    folder = Path(name) if Path(name).is_dir() else PRETRAINED_DIR / name
    weights = hashlib.sha256((folder / 'model.safetensors').read_bytes()).hexdigest()   # which weights the choice was made for
    result = {'date': str(datetime.date.today()), 'machine': machine(), 'model': name, 'weights_sha256': weights, 'seed': SEED, 'n': n,
              'split': 'validation', 'threshold': 'midpoint', 'validation_density': float(val.mean()), 'rows': rows,
              'minus_heun_churn': paired, 'chosen': best['candidate'], 'seconds': time.perf_counter() - t0}
    dest.mkdir(parents=True, exist_ok=True)
    (dest / 'fast_choice.json').write_text(json.dumps(to_json(result), indent=1))
    report(result)
    return result


def report(result: dict, dest: Path = HERE):
    "Print the tables and, for the bench folder, write the section of bench/RESULTS.md."
    rows, paired = result['rows'], result['minus_heun_churn']
    diff = lambda d: f"{d['difference']:+.3f} [{d['difference_ci'][0]:+.3f}, {d['difference_ci'][1]:+.3f}]"
    table = '\n'.join(['| candidate | NFE | density | mean OA [95 % CI] | minus heun-churn [95 % CI] |', '|---|---|---|---|---|'] + [
        f"| {r['candidate']} | {r['nfe']} | {r['density']:.4f} | {r['mean_oa']:.3f} [{r['mean_oa_ci'][0]:.3f}, {r['mean_oa_ci'][1]:.3f}] | "
        + (diff(paired[r['candidate']]) if r['candidate'] in paired else '–') + ' |' for r in rows])
    body = (f"Machine: {result['machine']}. `python bench/choose_fast.py {result['model']}`: {result['n']} clips per candidate, seed {result['seed']} "
            f"(used for this choice only), midpoint rule, against the validation split (density {result['validation_density']:.4f}); "
            f"{result['seconds']:.0f} s.\n\n{table}\n\nChosen by the rule (highest mean OA): {result['chosen']}.")
    if 'confirm' not in result and result['chosen'] != 'heun-churn' and paired[result['chosen']]['difference_ci'][0] <= 0:
        body += ("\n\nNot adopted, and not confirmed: the chosen candidate is not clearly ahead of heun-churn on the choice's seed (the "
                 "interval of the difference contains zero). A default moves only on a gain that is clear here and then holds on the "
                 "reporting seed (`--confirm`), and `--confirm` would spend the test split's look on a difference this one cannot show.")
    elif 'confirm' not in result and result['chosen'] != 'heun-churn':
        body += "\n\nClearly ahead of heun-churn on the choice's seed; not adopted until `--confirm` finds it ahead on the reporting seed (validation)."
    if 'confirm' in result:
        c = result['confirm']
        body += (f"\n\n`--confirm`: {result['chosen']} beside heun-churn on the reporting seed {c['seed']} ({c['n']} clips each):\n\n"
                 '| split | chosen: mean OA [95 % CI] | heun-churn | chosen minus heun-churn [95 % CI] |\n|---|---|---|---|\n'
                 + '\n'.join(f"| {s} | {c[s]['mean_oa']:.3f} [{c[s]['mean_oa_ci'][0]:.3f}, {c[s]['mean_oa_ci'][1]:.3f}] | "
                              f"{c[s]['heun_churn_mean_oa']:.3f} | {diff(c[s]['minus_heun_churn'])} |" for s in ('validation', 'test')))
        lo, hi = c['validation']['minus_heun_churn']['difference_ci']
        body += ('\n\n' + ("Not adopted: on the reporting seed (validation) the chosen candidate is level with heun-churn (the interval of the "
                             "difference contains zero), so the default stays heun-churn." if lo <= 0 <= hi else
                             f"On the reporting seed (validation) the chosen candidate is {'ahead of' if lo > 0 else 'behind'} heun-churn."))
    print(body)
    if dest == HERE: write_section('Which sampler is the fast one', f"Which sampler is the fast one ({result['date']})\n\n{body}")


def confirm(n: int = N, dest: Path = HERE) -> dict:
    """The chosen candidate against Heun with churn on the reporting seed (200, as bench/recipe_compare.py: the same
    Heun-with-churn clips), on the validation split and, once, the test split; each as the paired difference in mean OA."""
    path = dest / 'fast_choice.json'
    result = json.loads(path.read_text())
    if 'confirm' in result: sys.exit(f"{path} holds a confirmation already ({result['confirm']['date']}): the test split is looked at once per choice")
    if result['chosen'] == 'heun-churn': sys.exit('the choice is heun-churn, the fast sampler already: nothing to confirm')
    if result['minus_heun_churn'][result['chosen']]['difference_ci'][0] <= 0:
        sys.exit(f"{result['chosen']} is not clearly ahead of heun-churn on the choice's seed {result['seed']} (the interval of the difference "
                 "contains zero): not adopted, and nothing to confirm; the test split's look is kept")
    t0 = time.perf_counter()
    model = load_pretrained(result['model'])
    folder = Path(result['model']) if Path(result['model']).is_dir() else PRETRAINED_DIR / result['model']
    if hashlib.sha256((folder / 'model.safetensors').read_bytes()).hexdigest() != result['weights_sha256']:
        sys.exit(f"{folder} holds other weights than the choice was made for: run the choice again first")
    sampler, kwargs = CANDIDATES[result['chosen']]
    cfg = eval_config(model)
    sets = {label: to_rolls(sample(model, s, n=n, seed=REPORT_SEED, progress=False, **kw).x, model, 'midpoint').numpy()
            for label, (s, kw) in (('heun-churn', CANDIDATES['heun-churn']), (result['chosen'], (sampler, kwargs)))}
    out = {'date': str(datetime.date.today()), 'machine': machine(), 'seed': REPORT_SEED, 'n': n}
    for split in ('validation', 'test'):
        ref = load_chorales(split, model.roll_cfg, progress=False).clips.numpy()
        e = evaluate_rolls(sets[result['chosen']], ref, None, cfg)
        d = mean_oa_difference(sets[result['chosen']], sets['heun-churn'], ref, cfg)
        out[split] = {'mean_oa': e['mean_oa'], 'mean_oa_ci': list(e['mean_oa_ci']), 'oa': e['oa'], 'oa_ci': e['oa_ci'],
                      'density': float(sets[result['chosen']].mean()), 'heun_churn_mean_oa': d['mean_oa_b'], 'minus_heun_churn': d}
        print(f"{split}: {result['chosen']} {e['mean_oa']:.3f} [{e['mean_oa_ci'][0]:.3f}, {e['mean_oa_ci'][1]:.3f}]; heun-churn {d['mean_oa_b']:.3f}; "
              f"difference {d['difference']:+.3f} [{d['difference_ci'][0]:+.3f}, {d['difference_ci'][1]:+.3f}]; "
              f"rhythm OA {e['oa']['rhythmic_regularity']:.3f}", flush=True)
    out['seconds'] = time.perf_counter() - t0
    result['confirm'] = out
    path.write_text(json.dumps(to_json(result), indent=1))
    report(result, dest)
    return out


if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if '--smoke' in sys.argv: main(*(args or ['chorales']), n=4, dest=Path('/tmp/choose_fast_smoke'))
    elif '--confirm' in sys.argv: confirm()
    elif '--report' in sys.argv: report(json.loads((HERE / 'fast_choice.json').read_text()))
    else: main(*(args or ['chorales']))
