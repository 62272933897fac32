"""Copy a finished training run into the package as a bundled pretrained model.

    python tools/bundle_pretrained.py runs/chorales chorales --command "pianodiff train ..." --wall-seconds 1500

Copies model.safetensors (the best EMA weights), config.json, history.json and loss.png into
pianodiff/pretrained/NAME/ and writes training.json (the command, its wall time, the machine)."""
import argparse, json, os, platform, shutil
from pathlib import Path

from pianodiff.data import load_chorales, preset
from pianodiff.roll import RollConfig
from pianodiff.train import read_checkpoint, save_checkpoint

ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
ap.add_argument('run'); ap.add_argument('name')
ap.add_argument('--command', required=True, help='the command that trained the run')
ap.add_argument('--wall-seconds', type=float, required=True, help='its wall-clock time')
ap.add_argument('--machine', default=f'{os.cpu_count()}-core CPU ({platform.machine()})')
args = ap.parse_args()
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
                                                 'epochs_run': history[-1]['epoch']}, indent=1) + '\n')
print(f'bundled {run} as {dest} ({(dest / "model.safetensors").stat().st_size / 1e6:.1f} MB)')
