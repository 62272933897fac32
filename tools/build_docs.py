"""Build the docs where Quarto is not installed.

`make docs` runs `nbdev-docs` when Quarto is on the PATH. Without it (Quarto cannot be installed from
the package registries on this project's machines), this script:

1. processes the notebooks as nbdev does for Quarto (`nbdev.serve.proc_nbs`: directives applied,
   `show_doc` cells rendered, hidden cells removed) into `_proc/`;
2. renders each processed notebook to one static HTML page with nbconvert, plus an index page,
   into `_site_preview/` (a *preview*: no search, no Quarto theme; stored outputs, pictures and
   audio players included);
3. writes README.md (and its pictures in `index_files/`) from `nbs/index.ipynb`.

`--readme-only` does step 3 alone; `make test` uses it to check that README.md is up to date.
"""
import argparse, copy, html, os, re, shutil, sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, MarkdownExporter
from nbconvert.preprocessors import TagRemovePreprocessor
import yaml
from nbdev.config import get_config, nbpath2html

QUARTO_HELP = ("This is a static preview rendered with nbconvert, because Quarto is not installed. "
               "For the real site install Quarto (https://quarto.org/docs/get-started/, "
               "or `nbdev-install-quarto`) and run `make docs` again.")


def process_notebooks(nbs_path: Path) -> Path:
    "Process the notebooks of `nbs_path` into `_proc/` the way `nbdev-proc-nbs` does, without Quarto."
    import nbdev.doclinks
    from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
    from nbdev.serve import proc_nbs
    refresh_quarto_yml()
    nbdev.doclinks._build_modidx()
    nbdev_sidebar.__wrapped__(path=nbs_path)
    return proc_nbs(nbs_path, n_workers=0)


def chapters(nbs_path: Path) -> list[Path]:
    "The notebooks of the book in reading order, the home page first."
    nbs = sorted(p for p in nbs_path.glob('*.ipynb') if not p.name.startswith(('_', '.')))
    return sorted(nbs, key=lambda p: (p.name != 'index.ipynb', p.name))


def frontmatter(nb) -> dict:
    "The YAML front matter nbdev puts in a raw cell at the top of a processed notebook (title, description, output-file)."
    for c in nb.cells:
        if c.cell_type == 'raw' and c.source.lstrip().startswith('---'):
            return yaml.safe_load(c.source.strip().strip('-')) or {}
    return {}


def page_name(nb_path: Path) -> str:
    "The page a notebook becomes, as Quarto names it: 00_roll.ipynb -> roll.html."
    return 'index.html' if nb_path.stem == 'index' else nbpath2html(nb_path).name


def relink(text: str, nb_names: list[str], to) -> str:
    "Rewrite links to sibling notebooks (`00_roll.ipynb`) with `to(name)`."
    for name in nb_names:
        text = re.sub(rf'(?<=[("\']){re.escape(name)}(?=[#)"\'])', to(name), text)
    return text


_CELL_KEYS = {'cell_type', 'id', 'metadata', 'source', 'outputs', 'execution_count', 'attachments'}
_DIRECTIVE = re.compile(r'^#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')


def for_nbconvert(nb):
    """A copy of a processed notebook as Quarto would show it, for nbconvert: front matter removed, Quarto
    cell options applied (`#| echo: false` hides the code, `#| output: false` the output) and stripped."""
    nb = copy.deepcopy(nb)
    cells = []
    for c in nb.cells:
        if c.cell_type == 'raw': continue
        for k in list(c.keys()):
            if k not in _CELL_KEYS: del c[k]
        c.metadata = {}  # execution timings and the like are not for the page
        if c.cell_type == 'code':
            lines = c.source.splitlines()
            opts = {m[1]: m[2].lower() for m in map(_DIRECTIVE.match, lines) if m}
            c.source = '\n'.join(l for l in lines if not _DIRECTIVE.match(l)).strip()
            if opts.get('echo') == 'false' or not c.source: c.metadata['tags'] = ['remove_input']
            if opts.get('output') == 'false': c.outputs = []
            if not c.source and not c.outputs: continue
            for o in c.outputs:  # Quarto-only link attributes from show_doc, e.g. {target="_blank" ...}
                md = o.get('data', {}).get('text/markdown')
                if md: o['data']['text/markdown'] = re.sub(r'\{target="_blank"[^}]*\}', '', ''.join(md))
        cells.append(c)
    nb.cells = cells
    return nb


def exporter(cls):
    e = cls(template_name='lab') if cls is HTMLExporter else cls()
    e.exclude_input_prompt = e.exclude_output_prompt = True
    e.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'remove_input'}), enabled=True)
    return e


def without_audio(nb):
    "Drop audio players (GitHub's Markdown cannot play them; they would bloat README.md)."
    nb = copy.deepcopy(nb)
    for c in nb.cells:
        if c.cell_type == 'code':
            c.outputs = [o for o in c.get('outputs', []) if '<audio' not in str(o.get('data', {}).get('text/html', ''))]
    return nb


def build_readme(root: Path, proc_index: Path, nb_names: list[str]):
    "README.md from the processed home page; its pictures go to `index_files/`."
    nb = without_audio(nbformat.read(proc_index, as_version=4))
    fm = frontmatter(nb)
    body, res = exporter(MarkdownExporter).from_notebook_node(for_nbconvert(nb))
    img_dir = root / 'index_files'
    shutil.rmtree(img_dir, ignore_errors=True)
    for name, data in sorted(res.get('outputs', {}).items()):
        img_dir.mkdir(exist_ok=True)
        (img_dir / name).write_bytes(data)
        body = body.replace(f']({name})', f'](index_files/{name})')
    body = relink(body, nb_names, lambda n: f'nbs/{n}')
    head = f"# {fm.get('title', 'pianodiff')}\n\n"
    if fm.get('description'): head += f"> {fm['description']}\n\n"
    note = "<!-- generated from nbs/index.ipynb by tools/build_docs.py: edit the notebook, not this file -->\n\n"
    text = note + head + re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'
    (root / 'README.md').write_text(text)
    return root / 'README.md'


def build_preview(proc: Path, nbs: list[Path], out: Path) -> list[Path]:
    "One static HTML page per processed notebook, with a navigation bar and a preview banner."
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    nb_names = [p.name for p in nbs]
    docs = [(p, nbformat.read(proc / p.name, as_version=4)) for p in nbs]
    titles = {p.name: frontmatter(nb).get('title', p.stem) for p, nb in docs}
    nav = ' · '.join(f'<a href="{page_name(p)}">{html.escape(titles[p.name])}</a>' for p, _ in docs)
    html_exporter = exporter(HTMLExporter)
    pages = []
    for p, nb in docs:
        fm = frontmatter(nb)
        body, _ = html_exporter.from_notebook_node(for_nbconvert(nb), resources={'metadata': {'name': titles[p.name]}})
        top = (f'<div class="pd-banner" style="background:#fff3cd;padding:8px 16px;font:14px sans-serif">'
               f'<b>Preview.</b> {html.escape(QUARTO_HELP)}</div>'
               f'<nav class="pd-nav" style="padding:8px 16px;font:15px sans-serif">{nav}</nav>')
        top += f'<h1 style="padding:0 16px;font-family:sans-serif">{html.escape(titles[p.name])}</h1>'
        if fm.get('description'):
            top += f'<p class="pd-description" style="padding:0 16px;font:italic 15px serif">{html.escape(fm["description"])}</p>'
        body = body.replace('<body', '<body data-pd-page="1"', 1)
        body = re.sub(r'(<body[^>]*>)', lambda m: m[1] + top, body, count=1)
        body = relink(body, nb_names, lambda n: nbpath2html(Path(n)).name if n != 'index.ipynb' else 'index.html')
        dest = out / page_name(p)
        dest.write_text(body)
        pages.append(dest)
    return pages


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--readme-only', action='store_true', help='only regenerate README.md')
    ap.add_argument('--out', default='_site_preview', help='folder of the static preview')
    args = ap.parse_args(argv)
    cfg = get_config()
    root = Path(cfg.config_path)
    os.chdir(root)
    nbs_path = Path(cfg.nbs_path)
    nbs = chapters(nbs_path)
    if args.readme_only:
        from nbdev.serve import proc_nbs
        proc = proc_nbs(nbs_path, n_workers=0, file_glob='index.ipynb')
    else:
        proc = process_notebooks(nbs_path)
    readme = build_readme(root, proc / 'index.ipynb', [p.name for p in nbs])
    print(f'wrote {readme}')
    if args.readme_only: return
    out = (root / args.out).resolve()
    pages = build_preview(proc, nbs, out)
    print(f'wrote {len(pages)} pages into {out}/ (open {out / "index.html"})')
    print(QUARTO_HELP)


if __name__ == '__main__':
    sys.exit(main())
