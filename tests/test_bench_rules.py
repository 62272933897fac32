"""Decision rules of the benchmark scripts: a fast-sampler pick moves the default only when it is clearly ahead, and
`--confirm` keeps the test split's look for such a pick; bundling refuses options that would be silently dropped."""
import json, sys

import pytest

from conftest import ROOT, run

sys.path.insert(0, str(ROOT / 'bench'))
import choose_fast  # noqa: E402


def choice(lo: float, hi: float) -> dict:
    "A stored choice whose pick, 35 levels, is ahead of heun-churn by an interval [lo, hi]."
    rows = [{'candidate': c, 'nfe': n, 'density': 0.07, 'mean_oa': m, 'mean_oa_ci': [m - 0.03, m + 0.03]}
            for c, n, m in (('heun-churn', 49, 0.70), ('dpmpp-2m-sde, 35 levels', 35, 0.70 + (lo + hi) / 2))]
    return {'date': '2026-12-05', 'machine': 'test', 'model': 'chorales', 'weights_sha256': '0' * 64, 'seed': 9102, 'n': 128,
            'split': 'validation', 'threshold': 'midpoint', 'validation_density': 0.077, 'rows': rows, 'seconds': 1.0,
            'minus_heun_churn': {'dpmpp-2m-sde, 35 levels': {'difference': (lo + hi) / 2, 'difference_ci': [lo, hi]}},
            'chosen': 'dpmpp-2m-sde, 35 levels'}


def test_a_pick_not_clearly_ahead_is_not_adopted_and_not_confirmed(tmp_path, capsys):
    result = choice(-0.02, 0.04)
    choose_fast.report(result, dest=tmp_path)
    assert 'Not adopted, and not confirmed' in capsys.readouterr().out
    (tmp_path / 'fast_choice.json').write_text(json.dumps(result))
    with pytest.raises(SystemExit, match='not clearly ahead'):
        choose_fast.confirm(dest=tmp_path)
    assert 'confirm' not in json.loads((tmp_path / 'fast_choice.json').read_text())   # nothing written, the test split unseen


def test_a_pick_clearly_ahead_waits_for_its_confirmation(tmp_path, capsys):
    choose_fast.report(choice(0.01, 0.05), dest=tmp_path)
    out = capsys.readouterr().out
    assert 'not adopted until `--confirm`' in out and 'Not adopted, and not confirmed' not in out


def test_card_only_refuses_bundling_options():
    card = ROOT / 'pianodiff' / 'pretrained' / 'chorales' / 'MODEL_CARD.md'
    before = card.read_text()
    r = run([sys.executable, str(ROOT / 'tools' / 'bundle_pretrained.py'), '--card-only', 'chorales', '--note', 'resumed'])
    assert r.returncode == 2 and '--card-only writes the card from the stored training.json' in r.stderr
    assert card.read_text() == before
