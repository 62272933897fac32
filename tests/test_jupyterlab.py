"""Readers run the book in JupyterLab: the piano-roll chapter runs there, in a real browser, cell by cell under a live
kernel, without an error, and its clip explorer renders and responds to the slider."""
import json, os, re, secrets, shutil, socket, subprocess, time, urllib.request

import pytest

from conftest import BIN, ROOT

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
CHAPTER = '00_roll.ipynb'
N_CODE = sum(c['cell_type'] == 'code' for c in json.loads((ROOT / 'nbs' / CHAPTER).read_text())['cells'])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    "JupyterLab from the project's venv, headless, serving a copy of the chapter (its autosave never touches the book)."
    if not CHROMIUM: pytest.skip("Chromium is not installed (make test installs Debian's chromium when run as root)")
    if not (BIN / 'jupyter-lab').exists(): pytest.skip("JupyterLab is not installed: pip install 'pianodiff[book]' (make does)")
    pytest.importorskip('playwright.sync_api')
    shutil.copy(ROOT / 'nbs' / CHAPTER, tmp_path / CHAPTER)
    port, token = free_port(), secrets.token_hex(16)
    # JupyterLab 4 may keep only the cells near the viewport in the page ("windowing"): render them all, so the test
    # sees every cell's prompt and output
    settings = tmp_path / 'lab-settings' / '@jupyterlab' / 'notebook-extension'
    settings.mkdir(parents=True)
    (settings / 'tracker.jupyterlab-settings').write_text(json.dumps({'windowingMode': 'none'}))
    env = {**os.environ, 'JUPYTER_CONFIG_DIR': str(tmp_path / 'config'), 'JUPYTER_RUNTIME_DIR': str(tmp_path / 'runtime'),
           'JUPYTER_DATA_DIR': str(tmp_path / 'data'), 'JUPYTER_PATH': str(BIN.parent / 'share' / 'jupyter'),
           'JUPYTERLAB_SETTINGS_DIR': str(tmp_path / 'lab-settings')}
    log = open(tmp_path / 'lab.log', 'w')
    proc = subprocess.Popen([str(BIN / 'jupyter-lab'), '--no-browser', '--allow-root', f'--port={port}', '--ServerApp.ip=127.0.0.1',
                             f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={tmp_path}', '--LabApp.news_url=',
                             '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'],
                            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f'http://127.0.0.1:{port}'
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f'{url}/api/status?token={token}', timeout=2); break
            except OSError:
                if proc.poll() is not None: pytest.fail(f'JupyterLab exited: {(tmp_path / "lab.log").read_text()[-2000:]}')
                time.sleep(0.5)
        else: pytest.fail(f'JupyterLab did not answer in 60 s: {(tmp_path / "lab.log").read_text()[-2000:]}')
        yield url, token
    finally:
        proc.terminate()
        try: proc.wait(30)
        except subprocess.TimeoutExpired: proc.kill()
        log.close()


def wait_until(page, js: str, timeout_s: float, what: str):
    "Wait until the expression `js` is true in the page, polling twice a second."
    try: page.wait_for_function(js, timeout=timeout_s * 1000, polling=500)
    except Exception as e: raise AssertionError(f'timed out after {timeout_s:.0f} s waiting for {what}') from e


def kernel_idle(url: str, token: str, timeout_s: float):
    "Wait until the server has a kernel running and idle (asked through Jupyter's REST API)."
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        kernels = json.loads(urllib.request.urlopen(f'{url}/api/kernels?token={token}', timeout=5).read())
        if kernels and all(k['execution_state'] == 'idle' for k in kernels): return
        time.sleep(0.5)
    raise AssertionError(f'no idle kernel after {timeout_s:.0f} s: {kernels}')


def test_roll_chapter_runs_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright
    url, token = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=['--no-sandbox', '--disable-gpu', '--disable-background-networking',
                                                                    '--disable-component-update', '--disable-sync', '--no-first-run'])
        try:
            page = browser.new_page(viewport={'width': 1400, 'height': 1000})
            page.goto(f'{url}/lab/tree/{CHAPTER}?token={token}')
            page.wait_for_selector('.jp-NotebookPanel .jp-Notebook .jp-Cell', timeout=120_000)
            if page.locator('.jp-Dialog').count():   # a notebook without a kernelspec asks for one (ours name python3)
                page.click('.jp-Dialog .jp-mod-accept')
            kernel_idle(url, token, 120)
            page.click('.lm-MenuBar-item:has-text("Run")')
            page.click('.lm-Menu-item[data-command="runmenu:run-all"]')
            try:
                wait_until(page, """(() => { const p = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim());
                                         const failed = [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
                                                        .some(e => e.innerText.includes('Traceback'));   // Run All stops at an error: report it now
                                         return failed || (p.length > 0 && p.every(t => /^\\[\\d+\\]:$/.test(t))); })()""", 600, 'every cell to run')
            except AssertionError as e:   # say which cell is still running or never ran
                state = page.evaluate("""[...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell')].map(c =>
                    [c.querySelector('.jp-InputPrompt').textContent.trim(), (c.querySelector('.jp-InputArea-editor') || c).innerText.slice(0, 120)])
                    .filter(([p]) => !/^\\[\\d+\\]:$/.test(p))""")
                raise AssertionError(f'{e}; cells not done (prompt, source): {state[:3]}') from None
            n_code = page.locator('.jp-NotebookPanel .jp-CodeCell').count()
            assert n_code == N_CODE, f'the page shows {n_code} code cells, the chapter has {N_CODE}'
            errors = [t for t in page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').all_inner_texts()
                      if 'Traceback' in t or re.search(r'\b\w+Error\b', t)]
            assert not errors, errors[0][-3000:]
            # the explorer: a slider, a roll and a player; moving the slider shows another clip and another sound
            explorer = page.locator('.jp-NotebookPanel .widget-vbox:has(.widget-slider)').first
            explorer.scroll_into_view_if_needed()
            img = explorer.locator('.widget-output img').first
            audio = explorer.locator('.widget-output audio source').first   # IPython's player: <audio><source src=...>
            img.wait_for(timeout=60_000)
            page.wait_for_function("el => el.innerText.trim() === '0'", arg=explorer.locator('.widget-readout').first.element_handle(), timeout=30_000)
            before = (img.get_attribute('src'), audio.get_attribute('src'))
            assert before[0].startswith('data:image/png') and (before[1] or '').startswith('data:audio/mpeg')
            explorer.locator('.noUi-handle').first.focus()
            page.keyboard.press('ArrowRight')
            page.wait_for_function("""before => { const i = document.querySelector('.jp-NotebookPanel .widget-vbox .widget-output img');
                                             return i !== null && i.getAttribute('src') !== before; }""", arg=before[0], timeout=60_000)
            after = (img.get_attribute('src'), audio.get_attribute('src'))
            assert after[0] != before[0] and after[1] != before[1]
            assert explorer.locator('.widget-readout').first.inner_text().strip() == '1'
        finally:
            browser.close()
