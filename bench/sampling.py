"""Cost of each sampler at its default settings, for both bundled models (default and paper presets).

    .venv/bin/python bench/sampling.py          # writes its section of bench/RESULTS.md

For each model and sampler: network evaluations (NFE), seconds for a batch of 8 clips, and the peak resident
memory of a fresh process doing only that (each measurement runs in its own subprocess)."""
import datetime, json, subprocess, sys

from _results import machine, write_section
from pianodiff.sampling import SAMPLERS

CHILD = r'''
import json, resource, sys, time, torch
from pianodiff.train import load_pretrained
from pianodiff.sampling import sample
model, sampler = load_pretrained(sys.argv[1]), sys.argv[2]
sample(model, 'heun', n=8, steps=2, progress=False)   # warm-up
r = sample(model, sampler, n=8, seed=0, progress=False)
print(json.dumps({'nfe': r.nfe, 'seconds': r.seconds, 'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  'finite': bool(torch.isfinite(r.x).all())}))
'''

if __name__ == '__main__':
    lines = [f"Samplers at their default settings ({datetime.date.today()})\n",
             f"Machine: {machine()}. "
             "Batch of 8 clips; `sample(model, sampler, n=8)` with its defaults (EM 1000 steps, PC 500 x (1 + 1), ODE RK45 at 1e-5, "
             f"Heun 25 levels without and with churn {SAMPLERS['heun-churn'][1]['churn']:g}); denoised estimate clipped to the data range; peak memory of a process doing only that.\n",
             "| model | roll | sampler | NFE | seconds / batch of 8 | peak memory |", "|---|---|---|---|---|---|"]
    for model, roll in [('chorales', '48 x 64'), ('chorales-paper', '29 x 28')]:
        for sampler in SAMPLERS:
            out = subprocess.run([sys.executable, '-c', CHILD, model, sampler], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            lines.append(f"| {model} | {roll} | {sampler} | {r['nfe']} | {r['seconds']:.1f} | {r['peak_mb']:.0f} MB |")
            print(lines[-1], flush=True)
    write_section('Samplers at their default settings', '\n'.join(lines))
