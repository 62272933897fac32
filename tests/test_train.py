"""Training across processes: a run killed with SIGKILL and resumed ends where an uninterrupted run ends; two
DistributedDataParallel processes hold identical weights; the bundled pretrained models load; bad checkpoints fail clearly."""
import json, os, signal, subprocess, sys, time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from conftest import BIN, ROOT
from pianodiff.data import chorale_corpus
from pianodiff.train import CheckpointError, PRETRAINED, load_pretrained, read_checkpoint

ARGS = ['--preset', 'default', '--limit', '16', '--channels', '8,16', '--no-attention', '--epochs', '8',
        '--batch-size', '8', '--max-steps-per-epoch', '4', '--warmup-steps', '0', '--quiet']


def _train_cmd(out, *extra):
    return [sys.executable, '-m', 'pianodiff.train', *ARGS, '--out', str(out), *extra]


def _epoch(ckpt: Path) -> int:
    try: return read_checkpoint(ckpt)[1]['state']['epoch']
    except CheckpointError: return 0


@pytest.fixture(scope='module', autouse=True)
def corpus():
    chorale_corpus(limit=16, progress=False)  # built once, before processes race for it


def test_sigkill_then_resume_matches_uninterrupted_run(tmp_path):
    whole = subprocess.run(_train_cmd(tmp_path / 'whole'), capture_output=True, text=True, timeout=600)
    assert whole.returncode == 0, whole.stderr
    ckpt = tmp_path / 'killed' / 'checkpoint.safetensors'
    proc = subprocess.Popen(_train_cmd(tmp_path / 'killed'), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 300
    while _epoch(ckpt) < 2 and proc.poll() is None and time.time() < deadline: time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, 'the run ended before it could be killed'
    at_kill = _epoch(ckpt)
    assert 2 <= at_kill < 8, at_kill
    resumed = subprocess.run(_train_cmd(tmp_path / 'killed', '--resume'), capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    a, _ = read_checkpoint(tmp_path / 'whole' / 'checkpoint.safetensors')
    b, hb = read_checkpoint(ckpt)
    assert hb['state']['epoch'] == 8 and a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a), 'resumed weights differ from the uninterrupted run'
    assert json.loads((tmp_path / 'killed' / 'history.json').read_text())[-1]['epoch'] == 8


def test_ddp_two_processes_hold_identical_weights(tmp_path):
    torchrun = Path(sys.executable).parent / 'torchrun'
    r = subprocess.run([str(torchrun), '--standalone', '--nproc_per_node', '2', str(ROOT / 'tests' / 'ddp_worker.py'), str(tmp_path)],
                       capture_output=True, text=True, timeout=600, env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    saved, _ = read_checkpoint(tmp_path / 'checkpoint.safetensors')  # written by rank 0 only
    for kind, prefix in (('', 'model.'), ('ema_', 'ema.')):
        w0, w1 = load_file(str(tmp_path / f'{kind}rank0.safetensors')), load_file(str(tmp_path / f'{kind}rank1.safetensors'))
        assert all(torch.equal(w0[k], w1[k]) for k in w0), f'{kind or "model "}weights differ between ranks'
        assert all(torch.equal(saved[prefix + k], w0[k]) for k in w0)
    hist = json.loads((tmp_path / 'history.json').read_text())
    assert [h['epoch'] for h in hist] == [1, 2] and all(h['train_loss'] > 0 for h in hist)


@pytest.mark.parametrize('name', PRETRAINED)
def test_pretrained_models_load_and_score(name):
    p = load_pretrained(name)
    x = torch.randn(2, *p.shape)
    with torch.no_grad(): s = p.model(x, torch.tensor([0.5, 0.9]))
    assert s.shape == x.shape and torch.isfinite(s).all() and s.abs().mean() > 0
    assert not p.model.training
    card = (Path(__import__('pianodiff').__file__).parent / 'pretrained' / name / 'MODEL_CARD.md').read_text()
    # the card says what the weights are: data and preset, the command, its wall time, measured quality, the licence
    quality = 'nats per frame' if name == 'jsb' else 'mean overlap area'   # the benchmark model is judged by its likelihood
    for part in ('## Data', f"preset {p.config['data']['preset']}", 'Command: `pianodiff train ', 'Wall time ', '## Quality', quality, '## Licence'):
        assert part in card, f'the model card of {name} lacks {part!r}'
    if name.startswith('maestro'):   # trained on MAESTRO: its data, and its licence beside the weights
        assert p.config['data']['dataset'] == 'maestro' and 'CC BY-NC-SA 4.0' in card
    elif name == 'jsb':   # the JSB benchmark's own training split, never the music21 chorales (which overlap its test split)
        assert p.config['data']['dataset'] == 'jsb' and 'CC BY-NC-SA' not in card and 'JSB Chorales benchmark' in card
    else:
        assert p.config['data']['dataset'] == 'chorales' and 'CC BY-NC-SA' not in card


def test_corrupt_and_foreign_checkpoints(tmp_path):
    load_pretrained('chorales')   # the bundled model loads; the damaged copies below must not
    folder = tmp_path / 'corrupt'; folder.mkdir()
    src = Path(__import__('pianodiff').__file__).parent / 'pretrained' / 'chorales'
    data = (src / 'model.safetensors').read_bytes()
    (folder / 'model.safetensors').write_bytes(data[: len(data) // 3])
    with pytest.raises(CheckpointError, match='corrupt or truncated'):
        load_pretrained(folder)
    from safetensors.torch import save_file
    save_file({'w': torch.zeros(1)}, str(folder / 'model.safetensors'))
    with pytest.raises(CheckpointError, match='not a pianodiff checkpoint'):
        load_pretrained(folder)
    r = subprocess.run([str(BIN / 'pianodiff'), 'train', '--resume', '--out', str(folder.parent / 'x'), '--data', str(folder)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
