"`pianodiff evaluate` end to end, as a user runs it: the console script, its three files and its one-line errors."
import json

from conftest import BIN, run


def test_evaluate_writes_report(tmp_path):
    out = tmp_path / 'ev'
    r = run([str(BIN / 'pianodiff'), 'evaluate', 'chorales', '--sampler', 'heun-churn', '--steps', '3', '-n', '6', '--limit', '24',
             '--seed', '7', '--out', str(out)])
    assert r.returncode == 0, r.stderr
    assert 'mean OA' in r.stdout and 'real training clips' in r.stdout
    assert sorted(p.name for p in out.iterdir()) == ['report.json', 'report.md', 'report.png', 'samples.npz']
    rep = json.loads((out / 'report.json').read_text())
    assert (rep['sampler'], rep['seed'], rep['split'], rep['threshold']) == ('heun-churn', 7, 'validation', 'density')
    row = rep['rows']['heun-churn']
    assert row['n'] == 6 and 0 <= row['mean_oa'] <= 1 and row['mean_oa_ci'][0] <= row['mean_oa'] <= row['mean_oa_ci'][1]
    assert set(row['oa']) == set(row['kl']) and 'rhythmic_regularity' in row['oa'] and isinstance(row['exact_copies'], int)
    assert (out / 'report.png').stat().st_size > 10_000
    md = (out / 'report.md').read_text()
    for part in ('| heun-churn |', '| real: training clips |', 'baseline: per-pitch Markov', '## Every statistic', '## Borders'):
        assert part in md, part


def test_evaluate_bad_input(tmp_path):
    for argv, says in [(['-n', '1'], '-n must be >= 2'), (['--sampler', 'ddim'], 'unknown sampler'),
                       (['--threshold', '2'], '--threshold'), (['--data', str(tmp_path / 'nothing')], 'nothing')]:
        r = run([str(BIN / 'pianodiff'), 'evaluate', 'chorales', *argv, '--out', str(tmp_path / 'o')])
        assert r.returncode == 2 and says in r.stderr and len(r.stderr.strip().splitlines()) == 1, (argv, r.stderr)
    r = run([str(BIN / 'pianodiff'), 'evaluate', str(tmp_path / 'no-model'), '--out', str(tmp_path / 'o')])
    assert r.returncode == 2 and 'neither a bundled model' in r.stderr
    assert not (tmp_path / 'o' / 'report.md').exists()
