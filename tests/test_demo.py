"""`make demo`: new clips from the bundled model by the fast sampler (MIDI, WAV, PNG, summary.md) beside a real chorale
for reference, each file checked; `pianodiff demo --all-samplers`: every sampler; and the command line's one-line errors."""
import shutil

import numpy as np
import pretty_midi
import pytest
from scipy.io import wavfile

from conftest import ROOT, BIN, make, run
from pianodiff.roll import SAMPLE_RATE, RollConfig, corpus_midi, midi_to_roll
from pianodiff.train import load_pretrained


@pytest.fixture(scope='module')
def demo_out():
    out = ROOT / 'out'
    shutil.rmtree(out, ignore_errors=True)
    r = make('demo')
    assert r.returncode == 0, r.stdout + r.stderr
    return out, r.stdout


def test_demo_prints_where_the_files_are(demo_out):
    out, stdout = demo_out
    for suffix in ('.png', '.mid', '.wav'):
        assert str(out / f'chorale_bwv66.6{suffix}') in stdout


def test_demo_png_is_a_picture_of_the_roll(demo_out):
    import matplotlib.image
    png = demo_out[0] / 'chorale_bwv66.6.png'
    assert png.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    img = matplotlib.image.imread(png)
    assert img.shape[0] > 150 and img.shape[1] > 300
    assert img[..., :3].std() > 0.05, 'the picture is blank'


def test_demo_midi_is_the_chorale(demo_out):
    cfg = RollConfig()
    pm = pretty_midi.PrettyMIDI(str(demo_out[0] / 'chorale_bwv66.6.mid'))
    pitches = [n.pitch for i in pm.instruments for n in i.notes]
    assert len(pitches) > 50 and min(pitches) >= cfg.lowest_pitch and max(pitches) <= cfg.highest_pitch
    expected = midi_to_roll(corpus_midi('bach/bwv66.6'), cfg)
    assert (midi_to_roll(pm, cfg, n_frames=expected.shape[1]) == expected).all()


@pytest.fixture(scope='module')
def all_samplers_out(tmp_path_factory):
    out = tmp_path_factory.mktemp('demo-all')
    r = run([str(BIN / 'pianodiff'), 'demo', '--all-samplers', '-n', '1', '--out', str(out)])
    assert r.returncode == 0, r.stdout + r.stderr
    return out


def check_samples(out, sampler, count):
    cfg = load_pretrained('chorales').roll_cfg
    for i in range(1, count + 1):
        pm = pretty_midi.PrettyMIDI(str(out / f'{sampler}_{i}.mid'))
        notes = [n for inst in pm.instruments for n in inst.notes]
        assert notes and all(cfg.lowest_pitch <= n.pitch <= cfg.highest_pitch for n in notes)  # never pitch 0
        rate, audio = wavfile.read(out / f'{sampler}_{i}.wav')
        assert rate == SAMPLE_RATE and len(audio) == round((cfg.clip_frames / cfg.fs + 0.5) * SAMPLE_RATE)
        assert np.abs(audio).max() > 1000, 'silent sample'
        assert (out / f'{sampler}_{i}.png').read_bytes()[:4] == b'\x89PNG'
    assert not (out / f'{sampler}_{count + 1}.mid').exists()


def summary_rows(out):
    text = (out / 'summary.md').read_text()
    rows = [l for l in text.splitlines() if l.startswith('| ') and not l.startswith('| sampler')]
    return {r.split('|')[1].strip(): r.split('|') for r in rows}


def test_demo_is_the_fast_sampler(demo_out):
    "A newcomer's first minute: four clips of the fast sampler, the paper's slow samplers left to --all-samplers."
    check_samples(demo_out[0], 'heun-churn', 4)
    rows = summary_rows(demo_out[0])
    assert list(rows) == ['heun-churn'] and int(rows['heun-churn'][3]) == 49
    assert not any((demo_out[0] / f'{s}_1.mid').exists() for s in ('em', 'pc', 'ode'))


@pytest.mark.parametrize('sampler', ['em', 'pc', 'ode', 'heun', 'heun-churn', 'dpmpp-2m', 'dpmpp-2m-sde'])
def test_demo_all_samplers_are_written_and_playable(all_samplers_out, sampler):
    check_samples(all_samplers_out, sampler, 1)


def test_demo_all_samplers_summary(all_samplers_out):
    rows = summary_rows(all_samplers_out)
    assert list(rows) == ['em', 'pc', 'ode', 'heun', 'heun-churn', 'dpmpp-2m', 'dpmpp-2m-sde']
    nfe = {k: int(r[3]) for k, r in rows.items()}
    assert nfe['em'] == 1000 and nfe['pc'] == 1000 and nfe['heun'] == 49 and nfe['heun-churn'] == 49 and nfe['dpmpp-2m'] == 15 and nfe['dpmpp-2m-sde'] == 20 and nfe['ode'] > 10
    seconds = {k: float(r[4]) for k, r in rows.items()}
    assert all(s > 0 for s in seconds.values()), seconds
    density = {k: [float(r[j].strip(' %')) / 100 for j in (5, 6)] for k, r in rows.items()}
    train = load_pretrained('chorales').config['data']['train_density']
    for written, midpoint in density.values():   # the density rule writes the training density; the midpoint is the sampler's own
        assert abs(written - train) < 0.005 and 0 < midpoint < 1, (density, train)


def test_demo_wav_is_audible_and_the_right_length(demo_out):
    cfg = RollConfig()
    rate, audio = wavfile.read(demo_out[0] / 'chorale_bwv66.6.wav')
    frames = midi_to_roll(corpus_midi('bach/bwv66.6'), cfg).shape[1]
    assert rate == SAMPLE_RATE and audio.ndim == 1
    assert len(audio) == round((frames / cfg.fs + 0.5) * SAMPLE_RATE)  # the roll's 22.5 s plus a 0.5 s tail
    x = audio.astype(np.float64) / 32768
    assert np.sqrt(np.mean(x ** 2)) > 0.01, 'the WAV is silent'
    seconds = x[: len(x) // SAMPLE_RATE * SAMPLE_RATE].reshape(-1, SAMPLE_RATE)
    assert (np.abs(seconds).max(1) > 0.01).mean() > 0.9, 'sound is missing from part of the piece'


@pytest.mark.parametrize('args, says', [
    (['roll', 'no-such-file.mid'], 'no such MIDI file'),
    (['roll', 'x.mid', '--fs', '-1'], 'fs'),
    (['roll', 'x.mid', '--lowest-pitch', '90', '--highest-pitch', '80'], 'empty'),
    (['sample', '--sampler', 'ddim'], 'unknown sampler'),
    (['sample', '-n', '0'], '-n must be'),
    (['sample', '--checkpoint', 'no-such-model'], 'neither a bundled model'),
    (['sample', '--sampler', 'heun-churn', '--steps', '1'], 'steps must be'),
    (['sample', '--threshold', 'loud'], '--threshold must be'),
])
def test_cli_errors_are_one_line(tmp_path, args, says):
    r = run([str(BIN / 'pianodiff'), *args, '--out', str(tmp_path)])
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and says in r.stderr and 'Traceback' not in r.stderr


def test_cli_unwritable_out(tmp_path):
    blocker = tmp_path / 'file'; blocker.write_text('')
    r = run([str(BIN / 'pianodiff'), 'demo', '--out', str(blocker / 'sub')])
    assert r.returncode == 2 and 'cannot write to the output folder' in r.stderr and 'Traceback' not in r.stderr


def test_cli_help():
    for cmd in ([], ['demo'], ['roll'], ['sample'], ['train']):
        r = run([str(BIN / 'pianodiff'), *cmd, '--help'])
        assert r.returncode == 0 and 'usage: pianodiff' in r.stdout
    r = run([str(BIN / 'pianodiff'), 'sample', '--help'])
    from pianodiff.sampling import SAMPLERS
    assert all(name in r.stdout for name in SAMPLERS), r.stdout
