"""Does a self-conditioned model use the estimate it is shown? Its denoising loss with its own estimate shown, against nothing shown.

    .venv/bin/python bench/self_condition_loss.py sc=runs/chorales-sc hop64=runs/chorales-hop64 chorales   # about a minute per model

For each model (a bundled name or a run folder, optionally `label=folder`), the training loss (EDM weighting) on every validation
clip (moved to C major / A minor for a key-normalized model, as it trains), at the noise levels and draws its validation loss uses
(val_seed): with zeros in the estimate's channel ('nothing shown', the only way for a plain model), and, for a self-conditioned
model, with its own first estimate of the same noisy clip shown ('own estimate shown'), as training shows it (a sampler shows
the estimate of its previous call instead, made at another noisy roll and a higher level). Also per band of noise levels (one
level per clip). It reads every validation clip (max_val_clips is not applied). Writes bench/self_condition.json and its
RESULTS.md section."""
import datetime, json, sys
from pathlib import Path

import torch

from _results import machine, write_section
from recipe_compare import weights_id
from pianodiff.data import load_chorales, normalize_keys, to_model_space
from pianodiff.train import TrainConfig, load_pretrained, training_times

HERE = Path(__file__).parent
BANDS = [(0.0, 0.1), (0.1, 0.5), (0.5, 2.0), (2.0, float('inf'))]   # sigma


@torch.no_grad()
def losses(name: str) -> dict:
    "Per-clip EDM-weighted denoising errors with nothing shown and (self-conditioned models) with the own first estimate shown."
    p = load_pretrained(name)
    cfg = TrainConfig.from_dict(p.config['train'])
    ds = load_chorales('validation', p.roll_cfg, progress=False)
    if p.config.get('data', {}).get('key_shifts'): ds = normalize_keys(ds)[0]
    g = torch.Generator().manual_seed(cfg.val_seed)
    t = training_times(p.sde, cfg, len(ds), g)
    z = torch.randn((len(ds), *ds.shape), generator=g)
    x0 = to_model_space(torch.stack([ds[i] for i in range(len(ds))]), cfg.centered)   # [clips, channels, pitches, frames]
    mu, std = (v.reshape(-1, 1, 1, 1).float() for v in p.sde.marginal_prob(torch.ones(len(ds), 1), t))
    sigma = (std / mu).flatten()
    weight = ((sigma ** 2 + cfg.sigma_data ** 2) / (sigma * cfg.sigma_data) ** 2).reshape(-1, 1, 1, 1)
    out = {'nothing shown': [], 'own estimate shown': []}
    for i in range(0, len(ds), 64):
        sl = slice(i, i + 64)
        xt = mu[sl] * x0[sl] + std[sl] * z[sl]
        first = (xt + std[sl] ** 2 * p.model(xt, t[sl])) / mu[sl]
        out['nothing shown'].append((weight[sl] * (first - x0[sl]) ** 2).flatten(1).mean(1))
        if p.model.cfg.self_condition:
            second = (xt + std[sl] ** 2 * p.model(xt, t[sl], previous=first)) / mu[sl]
            out['own estimate shown'].append((weight[sl] * (second - x0[sl]) ** 2).flatten(1).mean(1))
    per_clip = {k: torch.cat(v) for k, v in out.items() if v}
    bands = {f'{lo:g}-{hi:g}': {k: v[(sigma >= lo) & (sigma < hi)].mean().item() for k, v in per_clip.items()} | {'clips': int(((sigma >= lo) & (sigma < hi)).sum())}
             for lo, hi in BANDS}
    return {'model': name, 'weights_sha256': weights_id(name), 'self_condition': p.model.cfg.self_condition, 'clips': len(ds),
            'loss': {k: v.mean().item() for k, v in per_clip.items()}, 'by_sigma': bands}


def main(specs: list[str]):
    result = {'date': str(datetime.date.today()), 'machine': machine(), 'command': specs, 'models': {}}
    for spec in specs:
        label, _, name = spec.rpartition('=')
        result['models'][label or name] = r = losses(name)
        print(label or name, json.dumps(r['loss']), flush=True)
    (HERE / 'self_condition.json').write_text(json.dumps(result, indent=1))
    rows = '\n'.join(f"| {k} | {m['weights_sha256'][:12]}... | {m['loss']['nothing shown']:.4f} | "
                     + (f"{m['loss']['own estimate shown']:.4f}" if 'own estimate shown' in m['loss'] else '–') + ' | '
                     + ' | '.join(f"{b['nothing shown']:.4f}" + (f" / {b['own estimate shown']:.4f}" if 'own estimate shown' in b else '') for b in m['by_sigma'].values()) + ' |'
                     for k, m in result['models'].items())
    write_section('Self-conditioning: does the model use its estimate', f"Self-conditioning: does the model use its estimate ({result['date']})\n\n"
                  f"Machine: {result['machine']}. `python bench/self_condition_loss.py {' '.join(specs)}`: the training loss (EDM weighting) on every "
                  "validation clip at the noise levels and draws of the validation loss, with nothing shown and with the model's own first estimate shown.\n\n"
                  '| model | weights | nothing shown | own estimate shown | ' + ' | '.join(f'sigma {b}: nothing / own' for b in next(iter(result['models'].values()))['by_sigma'])
                  + ' |\n|' + '---|' * (4 + len(BANDS)) + '\n' + rows)


if __name__ == '__main__':
    main(sys.argv[1:] or ['chorales'])
