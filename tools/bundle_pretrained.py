"""Copy a finished training run into the package as a bundled pretrained model.

    python tools/bundle_pretrained.py runs/chorales chorales --command "pianodiff train ..." --wall-seconds 1500

    python tools/bundle_pretrained.py --card-only chorales-paper --metrics bench/evaluation.json:chorales-paper

Copies model.safetensors (the best EMA weights), config.json, history.json and loss.png into
pianodiff/pretrained/NAME/, writes training.json (the command, its wall time, the machine, the epochs run and an optional --note) and the model card
(MODEL_CARD.md, with metrics.json when --metrics names measured results: FILE:ENTRY of a bench JSON whose
'models' hold evaluation rows)."""
import argparse, hashlib, json, os, platform, shutil
from pathlib import Path

from pianodiff.data import load_chorales
from pianodiff.roll import RollConfig
from pianodiff.train import PRETRAINED_DIR, model_card, read_checkpoint, save_checkpoint


def metrics_text(specs: list[str], weights: Path) -> str:
    "A paragraph per measured result: mean OA of each sampler with its interval, beside the real and baseline rows."
    out, digest = [], hashlib.sha256(weights.read_bytes()).hexdigest()
    for spec in specs:
        path, _, key = spec.rpartition(':')
        result = json.loads(Path(path).read_text())
        if 'validation_whole' in result:   # jsb_likelihood.json: the benchmark's likelihood bound
            if result.get('weights_sha256', digest) != digest:
                raise SystemExit(f"{spec} was measured on other weights than {weights}: measure the model again")
            b = result['bounds']
            out.append(f"Negative log-likelihood on the JSB Chorales benchmark, variational bound (64 noise levels per piece; "
                       f"`{Path(path).name}`): **test split {result['test']:.3f} nats per frame** [95 % interval {result['test_interval'][0]:.3f}, "
                       f"{result['test_interval'][1]:.3f}, bootstrap over test pieces] ({result['test_frames']} frames, "
                       f"pieces scored {'whole' if result['chosen'] == 'whole' else 'in windows'}, the way chosen on validation: whole "
                       f"{result['validation_whole']:.3f}, windows {result['validation_windows']:.3f}). For reference, on the test split: "
                       f"independent keys {result['independent']:.2f}, per-key Markov chain {result['markov']:.2f} (fitted on the training split), "
                       f"TCN 8.10 (Bai et al. 2018). The dequantization bound on {b['pieces']} validation pieces: {b['dequantized']:.3f} "
                       f"against the variational {b['variational']:.3f} nats per frame: a model of binary cells puts almost no density between them, "
                       f"so the dequantization bound says little for it.")
            continue
        if 'models' in result or 'samples' in result:   # evaluation.json: 'models'; maestro_paper.json: 'samples'
            entry = (result['models'] if 'models' in result else result['samples'])[key]
            split, seed, n = result['split'], result['seed'], result['n']
        else:   # maestro_piano.json: a dotted path to the rows of one split, e.g. validation.fast or test
            entry = result
            for part in key.split('.'): entry = entry[part]
            split = key.split('.')[0]
            seed, n = result['test_seed' if split == 'test' else 'seed'], None
        if entry.get('weights_sha256', digest) != digest:
            raise SystemExit(f"{spec} was measured on other weights than {weights}: measure the model again, or name the right entry")
        rows = entry['rows']
        oa = lambda k: f"{rows[k]['mean_oa']:.3f} [{rows[k]['mean_oa_ci'][0]:.3f}, {rows[k]['mean_oa_ci'][1]:.3f}]"
        samplers = [k for k in rows if not k.startswith(('real', 'baseline')) and '(' not in k]
        refs = [k for k in ('real: training clips', 'baseline: per-pitch Markov', 'baseline: per-pitch Bernoulli') if k in rows]
        n = n or rows[samplers[0]]['n']
        out.append(f"{split.capitalize()} split ({rows[samplers[0]]['n_reference']} reference clips), {n} samples per sampler "
                   f"(seed {seed}, midpoint rule), mean overlap area of {len(rows[samplers[0]]['oa'])} music statistics with 95 % intervals "
                   f"(`{Path(path).name}`, entry `{key}`): " + '; '.join(f'{k} {oa(k)}' for k in samplers)
                   + '. For reference: ' + '; '.join(f'{k} {oa(k)}' for k in refs) + '.')
    return '\n\n'.join(out)

ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
ap.add_argument('run', nargs='?'); ap.add_argument('name')
ap.add_argument('--command', help='the command that trained the run')
ap.add_argument('--wall-seconds', type=float, help='its wall-clock time')
ap.add_argument('--note', help='one line for the card, e.g. that the run was resumed and how its wall time splits')
ap.add_argument('--machine', default=f'{os.cpu_count()}-core CPU ({platform.machine()})')
ap.add_argument('--metrics', nargs='*', default=[], help='measured results for the card: FILE:ENTRY of a bench JSON')
ap.add_argument('--card-only', action='store_true', help='only write the card (and metrics.json) of an already bundled model')
args = ap.parse_args()

def write_card(dest: Path, new_weights: bool = False):
    if args.metrics:
        text = metrics_text(args.metrics, dest / 'model.safetensors')
        (dest / 'metrics.json').write_text(json.dumps({'sources': args.metrics, 'text': text}, indent=1) + '\n')
    elif new_weights: (dest / 'metrics.json').unlink(missing_ok=True)   # measured on the weights replaced: not theirs
    (dest / 'MODEL_CARD.md').write_text(model_card(dest))
    print(f'wrote {dest / "MODEL_CARD.md"}')

if args.card_only:
    if args.run: ap.error('--card-only takes the bundled name only')
    if args.note or args.command or args.wall_seconds: ap.error('--card-only writes the card from the stored training.json: --command, --wall-seconds and --note belong to bundling a run')
    write_card(PRETRAINED_DIR / args.name); raise SystemExit
if not (args.run and args.command and args.wall_seconds): ap.error('bundling a run needs RUN NAME --command ... --wall-seconds ...')
run, dest = Path(args.run), Path(__file__).resolve().parents[1] / 'pianodiff' / 'pretrained' / args.name
tensors, header = read_checkpoint(run / 'model.safetensors')  # refuse anything that is not a pianodiff checkpoint
dest.mkdir(parents=True, exist_ok=True)
for f in ('model.safetensors', 'config.json', 'history.json', 'loss.png'): shutil.copy2(run / f, dest / f)
config = header['config']
if config['data'].get('train_density') is None and config['data'].get('dataset') == 'chorales':
    # runs started before the trainer recorded the data densities: compute them from the same data
    cfg, limit = RollConfig.from_dict(config['roll']), config['data'].get('limit')
    tr, va = (load_chorales(s, cfg, limit=limit, progress=False) for s in ('train', 'validation'))
    config['data'].update(train_clips=len(tr), val_clips=len(va), train_density=tr.clips.float().mean().item(),
                          val_density=va.clips.float().mean().item())
    save_checkpoint(dest / 'model.safetensors', tensors, {**header, 'config': config})
    (dest / 'config.json').write_text(json.dumps(config, indent=1))
history = json.loads((run / 'history.json').read_text())
(dest / 'training.json').write_text(json.dumps({'command': args.command, 'wall_seconds': args.wall_seconds, 'machine': args.machine,
                                                 'epochs_run': history[-1]['epoch'], **({'note': args.note} if args.note else {})}, indent=1) + '\n')
write_card(dest, new_weights=True)
print(f'bundled {run} as {dest} ({(dest / "model.safetensors").stat().st_size / 1e6:.1f} MB)')
