import shutil, subprocess, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the venv that runs the tests (make test: .venv/bin)


def run(cmd, cwd=ROOT, timeout=600, **kw):
    "Run a command, returning the CompletedProcess; output is captured as text."
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, **kw)


def make(target, **kw):
    "Run a Makefile target with this interpreter's venv, so make does not set up another one."
    if not shutil.which('make'): pytest.skip('make is not installed')
    return run(['make', '--no-print-directory', target, f'BIN={BIN}'], **kw)
