"""How long the likelihood of one 88-key window of 16 frames takes on this machine (the target: under 30 s on 2 cores).

    .venv/bin/python bench/likelihood_speed.py [MODEL]     # MODEL: the network to time (default: the bundled 'jsb'); about 5 min

The network is fully convolutional, so the `jsb` model's weights take all 88 keys. Timed on one random
binary window of 88 keys x 16 frames (seed 0): the exact log-density of its dequantized copy through the probability-flow ODE
(`dequantized_nll`: RK45 at rtol = atol = 1e-5, one Rademacher probe), and the variational bound (`variational_nll`, 64 noise
levels), the variational bound three times and the ODE once (it takes minutes). Writes bench/likelihood_speed.json and its section of bench/RESULTS.md. Run it alone: another job slows it."""
import datetime, json, sys, time
from pathlib import Path

import torch

from _results import machine, write_section

HERE = Path(__file__).parent


def main(name: str):
    from pianodiff.likelihood import dequantized_nll, variational_nll
    from pianodiff.train import load_pretrained
    model = load_pretrained(name)
    roll = (torch.rand(1, 1, 88, 16, generator=torch.Generator().manual_seed(0)) < 0.07).double()
    runs = {'ode': [], 'variational': []}
    for _ in range(3):
        t0 = time.perf_counter(); var = variational_nll(model.model, model.sde, roll).item(); runs['variational'].append(time.perf_counter() - t0)
    t0 = time.perf_counter(); deq = dequantized_nll(model.model, model.sde, roll).item(); runs['ode'].append(time.perf_counter() - t0)   # once: minutes
    r = {'date': str(datetime.date.today()), 'machine': machine(), 'model': name, 'seconds': runs, 'nll_ode': deq, 'nll_variational': var}
    (HERE / 'likelihood_speed.json').write_text(json.dumps(r, indent=1) + '\n')
    med = {k: sorted(v)[len(v) // 2] for k, v in runs.items()}
    body = (f"Likelihood speed ({r['date']})\n\nMachine: {r['machine']}. `python bench/likelihood_speed.py {name}`: one 88-key window of "
            f"16 frames. Variational bound, 64 levels (the bound `nll_per_frame` and `pianodiff likelihood` use): "
            f"{', '.join(f'{s:.2f}' for s in runs['variational'])} s (median {med['variational']:.2f} s): target under 30 s "
            f"{'met' if med['variational'] < 30 else 'not met'}. Probability-flow ODE (dequantization bound), run once: {runs['ode'][0]:.0f} s: "
            f"{'met' if runs['ode'][0] < 30 else 'not met'}; a model trained on binary rolls has a steep score near the data, which "
            f"makes RK45 take many small steps. Bounds on this random window: variational {var:.1f}, dequantization {deq:.1f} nats.")
    write_section('Likelihood speed', body)
    print(body)


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'jsb')
