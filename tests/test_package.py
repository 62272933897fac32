"The library is light: importing it (and every module a user imports) loads none of the book's tools."
import subprocess, sys
import pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_pianodiff_loads_no_book_tools():
    code = ("import sys, pianodiff, pianodiff.roll, pianodiff.data, pianodiff.sde, pianodiff.unet, pianodiff.train, "
            "pianodiff.sampling, pianodiff.evaluate, pianodiff.cli\n"
            "print('LOADED:', *sorted(m for m in ('nbdev', 'jupyterlab', 'jupyter_server', 'execnb', 'fastcore') if m in sys.modules))")
    stdout = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout
    # other libraries may print on import (pyfluidsynth announces the FluidSynth it found): read only our line
    loaded = [line for line in stdout.splitlines() if line.startswith('LOADED:')]
    assert len(loaded) == 1, stdout
    out = loaded[0].removeprefix('LOADED:').strip()
    assert out == '', f'import pianodiff loaded {out}: keep the book tools out of the library'


def test_book_tools_are_an_extra():
    tomllib = pytest.importorskip('tomllib')   # Python 3.11+
    project = tomllib.loads((ROOT / 'pyproject.toml').read_text())['project']
    core = ' '.join(project['dependencies'])
    assert 'nbdev' not in core and 'jupyterlab' not in core
    book = ' '.join(project['optional-dependencies']['book'])
    assert 'nbdev' in book and 'jupyterlab' in book
    assert "'.[book]'" in (ROOT / 'Makefile').read_text()   # `make` installs the book


def test_notebooks_are_light():
    "Each chapter under 2 MB, its audio players stored as MP3 rather than WAV (tools/compress_audio.py converts old outputs)."
    for nb in sorted((ROOT / 'nbs').glob('*.ipynb')):
        text = nb.read_text()
        assert len(text.encode()) < 2_000_000, f'{nb.name} weighs {len(text.encode()) / 1e6:.1f} MB: keep stored outputs small (modest dpi, MP3 audio)'
        assert 'data:audio/wav' not in text, f'{nb.name} stores WAV audio: rerun its cells, or run tools/compress_audio.py {nb.relative_to(ROOT)}'
