"""How long a newcomer waits for `make demo` once the venv is in place (the target: under 30 s on 2 cores).

    .venv/bin/python bench/demo_time.py          # three runs of `make demo`, then `pianodiff demo --all-samplers` once

Writes bench/demo_time.json and its section of bench/RESULTS.md. Run it alone: another job on the CPU slows it."""
import datetime, json, shutil, subprocess, sys, tempfile, time
from pathlib import Path

from _results import machine, write_section

HERE = Path(__file__).parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if r.returncode: sys.exit(f"{' '.join(cmd)} failed:\n{r.stdout}\n{r.stderr}")
    return time.perf_counter() - t


def main():
    out = Path(tempfile.mkdtemp(prefix='demo-all-'))
    make = [timed(['make', '--no-print-directory', 'demo', f'BIN={BIN}']) for _ in range(3)]
    every = timed([str(BIN / 'pianodiff'), 'demo', '--all-samplers', '--out', str(out)])
    shutil.rmtree(out, ignore_errors=True)
    result = {'date': str(datetime.date.today()), 'machine': machine(), 'make_demo_seconds': make, 'all_samplers_seconds': every}
    (HERE / 'demo_time.json').write_text(json.dumps(result, indent=1) + '\n')
    body = (f"Machine: {result['machine']}. `python bench/demo_time.py`: `make demo` with the venv in place (the fast sampler, "
            f"4 clips, and the reference chorale), three runs: {', '.join(f'{s:.1f}' for s in make)} s (median {sorted(make)[1]:.1f} s; "
            f"target under 30 s: {'met' if sorted(make)[1] < 30 else 'not met'}). `pianodiff demo --all-samplers` (2 clips by each of "
            f"every sampler): {every:.0f} s.")
    write_section('make demo', f"make demo ({result['date']})\n\n{body}")
    print(body)


if __name__ == '__main__':
    main()
