"""The Bernoulli denoiser against the EDM recipe, at equal budget on the chorales (its section in nbs/05b_recipe.ipynb).

    .venv/bin/python bench/bernoulli_ab.py             # trains both arms where their run folders are missing (about 40 min each
                                                       # on 2 CPU cores), then evaluates both (about 8 min each)
    .venv/bin/python bench/bernoulli_ab.py --results-only   # rewrite the RESULTS.md section from bench/bernoulli_ab.json

The two arms differ in one flag (`--bernoulli` or `--edm`): same data, seed, SDE, network, batch, learning rate, epochs and
cooldown. Each is judged by the evaluation chapter on the validation split: 64 clips from each fast sampler, seed 500 (a
seed used for nothing else), midpoint rule, with bootstrap intervals, the real-vs-real and baseline rows, and the held-out
denoising error under one fixed weighting (the same for both losses, so comparable across them). The validation loss of
each run is not comparable across arms: each is measured in its own loss. Writes bench/bernoulli_ab.json and its
section of bench/RESULTS.md."""
import json, subprocess, sys, tempfile, time
from pathlib import Path

import recipe_compare
from _results import machine, write_section

HERE = Path(__file__).parent
ROOT = HERE.parent
N, SEED = 64, 500
COMMON = ['--preset', 'default', '--sde', 've', '--batch-size', '16', '--lr', '1.1e-3', '--epochs', '12', '--cooldown-epochs', '4',
          '--patience', '15', '--beat-frames', '4', '--max-shift', '4']
ARMS = {'edm': '--edm', 'bernoulli': '--bernoulli'}


def command(arm: str) -> list[str]: return ['pianodiff', 'train', *COMMON, ARMS[arm], '--out', f'runs/ab-{arm}']


def train_missing():
    for arm in ARMS:
        if not (ROOT / f'runs/ab-{arm}' / 'model.safetensors').is_file():
            subprocess.run([str(ROOT / '.venv/bin' / 'pianodiff'), *command(arm)[1:], '--quiet'], cwd=ROOT, check=True)


def evaluate() -> dict:
    recipe_compare.FAST_ONLY, recipe_compare.SEED = True, SEED
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:   # the recipe comparison's own file keeps its 128-clip entries
        result = recipe_compare.main([f'{arm}=runs/ab-{arm}' for arm in ARMS], N, Path(tmp))
    for arm, m in result['models'].items():
        history = json.loads((ROOT / f'runs/ab-{arm}' / 'history.json').read_text())
        m.update(command=' '.join(command(arm)), train_seconds=sum(h['seconds'] for h in history), epochs=len(history))
    return {'date': result['date'], 'machine': machine(), 'seed': SEED, 'n': N, 'split': 'validation', 'threshold': 'midpoint',
            'models': result['models'], 'seconds': time.perf_counter() - t0}


def write_results(r: dict):
    lines = [f"Bernoulli denoiser against the EDM recipe ({r['date']})", '',
             f"Machine: {r['machine']}. `python bench/bernoulli_ab.py`: two runs that differ only in `--edm` / `--bernoulli`, "
             f"each judged on the validation split, {r['n']} clips per fast sampler, seed {r['seed']}, midpoint rule.", '']
    for arm, m in r['models'].items():
        lines += [f"### {arm}", '', f"`{m['command']}`: {m['epochs']} epochs, {m['steps']} steps, {m['train_seconds'] / 60:.1f} min. "
                  f"Held-out denoising error (EDM weighting, 8 fixed levels): {m['denoising_error']:.4f}", '', m['table'], '']
    write_section('Bernoulli denoiser against the EDM recipe', '\n'.join(lines))


if __name__ == '__main__':
    path = HERE / 'bernoulli_ab.json'
    if '--results-only' in sys.argv: write_results(json.loads(path.read_text())); sys.exit()
    train_missing()
    result = evaluate()
    path.write_text(json.dumps(result, indent=1))
    write_results(result)
