"The MAESTRO loader on the whole MAESTRO v3.0.0 archive, read as a zip (../shared/maestro, beside development checkouts only)."
from pathlib import Path

import pytest

from pianodiff.data import PAPER_FIRST_CLIP, load_maestro

ARCHIVE = Path(__file__).resolve().parents[2] / 'shared' / 'maestro' / 'maestro-v3.0.0-midi.zip'
pytestmark = pytest.mark.skipif(not ARCHIVE.is_file(), reason=f'the MAESTRO archive is not at {ARCHIVE} (it exists beside development checkouts only)')


def test_paper_first_clip_validation_from_the_zip():
    "The paper code's validation set: the first 28 s of each of the 137 validation performances, read without unpacking."
    ds = load_maestro(ARCHIVE, 'validation', PAPER_FIRST_CLIP, progress=False, cache=False)   # every member read from the zip
    assert (len(ds), len(ds.pieces), len(ds.skipped)) == (137, 137, 0)
    assert ds[0].shape == (1, 29, 28) and 0.01 < ds.clips.float().mean() < 0.5
