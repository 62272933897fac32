"Shared by the benchmark scripts: the machine line, writing one section of bench/RESULTS.md, and an evaluation row as the JSON files keep it."
import os, platform, re
from pathlib import Path

RESULTS = Path(__file__).with_name('RESULTS.md')


def machine() -> str:
    import torch
    return (f"{os.cpu_count()} CPU cores ({platform.machine()}, {platform.processor() or 'unknown CPU'}), "
            f"torch {torch.__version__}, {torch.get_num_threads()} threads")


def write_section(title: str, body: str):
    "Replace the section whose heading starts with `## {title}` (or append it): reruns update, not pile up."
    text = RESULTS.read_text() if RESULTS.exists() else '# Benchmarks\n\nNumbers measured by the scripts in this folder; each section says how and where.\n'
    section = f'## {body.strip()}\n' if body.lstrip().startswith(title) else f'## {title}\n\n{body.strip()}\n'
    pattern = re.compile(rf'^## {re.escape(title)}.*?(?=^## |\Z)', re.S | re.M)
    text = pattern.sub(lambda _: section + '\n', text, count=1) if pattern.search(text) else text.rstrip('\n') + '\n\n' + section
    RESULTS.write_text(text.rstrip('\n') + '\n')


def slim(row: dict, keep: tuple | None = None) -> dict:
    "An evaluation row without its per-clip arrays (the nearest-clip distances as their 10th, 50th and 90th percentiles); only the fields in `keep` when given."
    import numpy as np
    from pianodiff.evaluate import to_json
    out = {k: v for k, v in row.items() if k != 'nearest' and (keep is None or k in keep)}
    if row.get('nearest') is not None: out['nearest_quantiles'] = np.quantile(row['nearest'], [0.1, 0.5, 0.9]).tolist()
    return to_json(out)


def sampled_rolls(model, samplers, n: int, seed: int, name: str = '', rules=('midpoint',), onsets: dict | None = None) -> tuple[dict, dict]:
    """Binary rolls of `n` clips from each sampler, cut by each threshold rule (the first rule's set is named after the
    sampler, the others 'sampler (rule rule)'), and each sampler's NFE and seconds. A model with onsets also puts the
    onset channel of each sampler's first-rule rolls in `onsets` (when given)."""
    from pianodiff.sampling import sample, to_onsets, to_rolls
    sets, cost = {}, {}
    for s in samplers:
        r = sample(model, s, n=n, seed=seed, progress=False)
        cost[s] = {'nfe': r.nfe, 'seconds': r.seconds}
        for k, rule in enumerate(rules):
            sets[s if k == 0 else f'{s} ({rule} rule)'] = to_rolls(r.x, model, rule).numpy()
        if onsets is not None and model.roll_cfg.onsets: onsets[s] = to_onsets(r.x, model, to_rolls(r.x, model, rules[0])).numpy()
        print(f'{name} {s}: {r.nfe} NFE, {r.seconds:.0f} s, density {sets[s].mean():.3f}', flush=True)
    return sets, cost
