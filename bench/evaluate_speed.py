"""How long the evaluation takes: 256 generated clips against the validation split, with memorisation.

    .venv/bin/python bench/evaluate_speed.py     # about 3 minutes on 2 CPU cores (most of it sampling the clips)

The clips come from the bundled chorale model's DPM-Solver++(2M) sampler (15 NFE, seed 101, density rule); what is timed is
`evaluate_rolls(clips, validation, train)` alone: every statistic of both sets (MusPy's through MIDI), the overlap
areas with 200 bootstrap resamples, and each clip's nearest training clip over 7 transpositions x 5 shifts.
Target (issue 10): under 60 s on 2 cores. Writes bench/evaluate_speed.json (read by the evaluation chapter) and
its section of bench/RESULTS.md."""
import datetime, json, time
from pathlib import Path

from _results import machine, write_section
from pianodiff.data import load_chorales
from pianodiff.evaluate import (clip_statistics, compare_statistics, eval_config, evaluate_rolls, mean_transitions, nearest_clips,
                                pitch_class_transitions)
from pianodiff.sampling import sample, to_rolls
from pianodiff.train import load_pretrained

HERE = Path(__file__).parent


def main(n: int = 256):
    model = load_pretrained('chorales')
    cfg = eval_config(model)
    train = load_chorales('train', model.roll_cfg, progress=False).clips.numpy()
    val = load_chorales('validation', model.roll_cfg, progress=False).clips.numpy()
    rolls = to_rolls(sample(model, 'dpmpp-2m', n=n, seed=101, progress=False).x, model).numpy()
    clip_statistics(val[:2], cfg)   # imports MusPy once, outside the timing
    t0 = time.perf_counter()
    result = evaluate_rolls(rolls, val, train, cfg)
    total = time.perf_counter() - t0
    # the parts, timed again one by one
    t = time.perf_counter(); tr = mean_transitions(pitch_class_transitions(val, cfg.roll.lowest_pitch))
    a, b = clip_statistics(rolls, cfg, tr), clip_statistics(val, cfg, tr); t_stats = time.perf_counter() - t
    t = time.perf_counter(); compare_statistics(a, b, cfg); t_cmp = time.perf_counter() - t
    t = time.perf_counter(); nearest_clips(rolls, train, cfg.max_transpose, cfg.max_shift); t_mem = time.perf_counter() - t
    out = {'date': str(datetime.date.today()), 'machine': machine(), 'n': n, 'n_reference': len(val), 'n_train': len(train),
           'seconds': total, 'parts': {'statistics': t_stats, 'comparison': t_cmp, 'memorisation': t_mem},
           'bootstrap': cfg.bootstrap, 'mean_oa': result['mean_oa']}
    (HERE / 'evaluate_speed.json').write_text(json.dumps(out, indent=1))
    write_section('Evaluation speed', f"Evaluation speed ({out['date']})\n\nMachine: {out['machine']}. `python bench/evaluate_speed.py`: "
                  f"`evaluate_rolls` of {n} clips against {len(val)} validation clips with {len(train)} training clips for memorisation "
                  f"({cfg.bootstrap} bootstrap resamples, {2 * cfg.max_transpose + 1} x {2 * cfg.max_shift + 1} transpositions and shifts): "
                  f"**{total:.1f} s** (target: under 60 s). Parts, timed separately: statistics of both sets {t_stats:.1f} s, "
                  f"overlap areas and bootstrap {t_cmp:.1f} s, memorisation {t_mem:.1f} s.")
    print(json.dumps(out, indent=1))


if __name__ == '__main__':
    main()
