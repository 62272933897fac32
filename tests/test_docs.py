"`make docs` renders the book; the piano-roll chapter shows its pictures and playable audio in a real browser."
import shutil

import pytest

from conftest import ROOT, make

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')


@pytest.fixture(scope='module')
def site():
    if shutil.which('quarto'): pytest.skip('Quarto is installed: `make docs` builds the real site, not the preview')
    r = make('docs')
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'This is a static preview' in r.stdout and 'install Quarto' in r.stdout
    return ROOT / '_site_preview'


def test_preview_has_a_page_per_chapter(site):
    nbs = [p for p in (ROOT / 'nbs').glob('*.ipynb') if not p.name.startswith('_')]
    pages = {p.name for p in site.glob('*.html')}
    assert {'index.html', 'roll.html', 'cli.html'} <= pages and len(pages) == len(nbs)
    index = (site / 'index.html').read_text()
    assert 'href="roll.html"' in index and 'Preview.' in index


def test_roll_page_in_chromium(site):
    if not CHROMIUM: pytest.skip('Chromium is not installed (make test installs Debian\'s chromium when run as root)')
    sync_playwright = pytest.importorskip('playwright.sync_api').sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--no-first-run'])
        try:
            page = browser.new_page()
            page.goto((site / 'roll.html').as_uri())
            assert page.title() == 'Piano rolls'
            sizes = page.eval_on_selector_all('img[src^="data:image/png"]', 'imgs => imgs.map(i => [i.naturalWidth, i.naturalHeight])')
            assert len(sizes) >= 3 and all(w > 200 and h > 100 for w, h in sizes), sizes
            assert page.locator('audio').count() >= 1
            durations = page.eval_on_selector_all('audio', '''els => Promise.all(els.map(a => a.readyState >= 1 ? a.duration
                : new Promise(ok => { a.addEventListener('loadedmetadata', () => ok(a.duration)); a.load(); })))''')
            assert all(d > 1 for d in durations), durations
        finally:
            browser.close()
