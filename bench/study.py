"""The hyperparameter study behind the bundled chorale model's recipe (issue 11), stored in bench/study.db.

    .venv/bin/python bench/study.py            # 8 trials, about 14 minutes on 2 CPU cores
    .venv/bin/python bench/study.py 20         # reopens bench/study.db and runs 12 more

A Sobol (QMC) study, the quasi-random cousin of the paper's Latin-hypercube search, over learning rate, noise
schedule (SDE) and recipe (score or EDM). Widths, EMA decay and augmentation are held at the bundled model's values,
and the batch at 16 clips: a trial of a few minutes cannot judge them fairly (a short budget favours small networks,
no regulariser and little averaging, the opposite of what a two-hour run needs; and at a fixed number of steps a
larger batch simply costs more). Each trial: 2-fold cross-validation by piece on the training split, 40 steps of 16
clips per fold, scored by `denoising_loss` (EDM weighting at 8 fixed noise levels, the same number for every SDE and
recipe) on 96 held-out clips of the fold. Validation and test splits are not touched. Writes bench/study.json and its
section of bench/RESULTS.md."""
import datetime, json, sys, time
from pathlib import Path

from _results import machine, write_section
from pianodiff.data import DEFAULT, load_chorales
from pianodiff.tune import SearchSpace, tune

HERE = Path(__file__).parent
SPACE = SearchSpace(lr=(2e-4, 3e-3), batch_size=(16,), sde=('vp', 'subvp', 've'), channels=('32,64,128',),
                    ema_decay=(0.999, 0.999), augment=(True,), recipe=('score', 'edm'))
BUDGET = dict(k=2, epochs=1, max_steps_per_epoch=40, seed=0, eval_clips=96)


def main(n_trials: int = 8, storage: Path = HERE / 'study.db'):
    ds = load_chorales('train', DEFAULT, progress=False)
    t0 = time.perf_counter()
    study = tune(storage, ds, n_trials, 'qmc', SPACE, **BUDGET)
    trials = [{'number': t.number, 'state': t.state.name, 'value': t.value, 'params': t.params,
               'fold_losses': t.user_attrs.get('fold_losses'), 'seconds': (t.datetime_complete - t.datetime_start).total_seconds()
               if t.datetime_complete else None} for t in study.trials]
    best = study.best_trial
    result = {'date': str(datetime.date.today()), 'machine': machine(), 'sampler': 'qmc (Sobol)', 'budget': BUDGET,
              'space': {k: list(v) for k, v in SPACE.__dict__.items()}, 'trials': trials,
              'best': {'number': best.number, 'value': best.value, 'params': best.params},
              'seconds_this_run': time.perf_counter() - t0}
    (HERE / 'study.json').write_text(json.dumps(result, indent=1))
    table = '| trial | state | denoising error | lr | batch | sde | recipe |\n|---|---|---|---|---|---|---|\n' + '\n'.join(
        f"| {t['number']} | {t['state'].lower()} | {'-' if t['value'] is None else format(t['value'], '.4f')} | {t['params'].get('lr', 0):.2e} | "
        f"{t['params'].get('batch_size')} | {t['params'].get('sde')} | {t['params'].get('recipe')} |" for t in trials)
    write_section('Hyperparameter study', f"Hyperparameter study ({result['date']})\n\nMachine: {result['machine']}. "
                  f"`python bench/study.py`: Sobol sampler, 2-fold cross-validation by piece on the training split, 40 steps of 16 clips per fold, 96 held-out clips scored per fold; "
                  f"widths 32,64,128, EMA 0.999 and augmentation fixed. Best: trial {best.number}, {json.dumps(best.params)}.\n\n{table}")
    print(table)
    return study


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
