"The MAESTRO loader on real MAESTRO v3.0.0 performances (../shared/maestro-sample, beside development checkouts only)."
from pathlib import Path

import pytest

from pianodiff.data import PAPER, PAPER_FIRST_CLIP, SPLITS, load_maestro, read_maestro_csv

SAMPLE = Path(__file__).resolve().parents[2] / 'shared' / 'maestro-sample' / 'maestro-v3.0.0'
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason=f'the MAESTRO sample is not at {SAMPLE} (it exists beside development checkouts only)')


def test_official_split_sizes():
    rows = read_maestro_csv(SAMPLE / 'maestro-v3.0.0.csv')
    for split, n in zip(SPLITS, [6, 3, 3]):
        assert sum(r['split'] == split for r in rows) == n
        ds = load_maestro(SAMPLE, split, PAPER_FIRST_CLIP, progress=False, cache=False)
        assert len(ds) == n and len(ds.pieces) == n and not ds.skipped  # one clip per performance
        assert ds[0].shape == (1, 29, 28)


def test_paper_preset_on_real_performances():
    ds = load_maestro(SAMPLE, 'train', PAPER, progress=False, cache=False)
    assert len(ds) > 6 * 3  # 90-230 s performances give several 28 s clips each
    assert 0.01 < ds.clips.float().mean() < 0.3


def test_full_csv_with_missing_files_is_a_partial_download(tmp_path):
    "The complete CSV with only twelve of its files present: the rest is skipped as missing, counted and named."
    rows = read_maestro_csv(SAMPLE.parent / 'maestro-v3.0.0-full.csv')
    assert [sum(r['split'] == s for r in rows) for s in SPLITS] == [962, 137, 177]
    (tmp_path / 'maestro-v3.0.0.csv').write_bytes((SAMPLE.parent / 'maestro-v3.0.0-full.csv').read_bytes())
    for year in SAMPLE.iterdir():
        if year.is_dir(): (tmp_path / year.name).symlink_to(year)
    with pytest.warns(UserWarning, match='skipped 134 of 137 files'):
        ds = load_maestro(tmp_path, 'validation', PAPER_FIRST_CLIP, progress=False, cache=False)
    assert len(ds) == 3 and len(ds.skipped) == 134 and {why for _, why in ds.skipped} == {'missing'}
