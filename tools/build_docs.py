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
import argparse, base64, copy, html, os, re, shutil, sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, MarkdownExporter
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
    "Title and description from the processed notebook's YAML front matter (raw cell) or first heading."
    out = {}
    for c in nb.cells:
        if c.cell_type == 'raw' and c.source.startswith('---'):
            for line in c.source.splitlines():
                m = re.match(r"^(title|description):\s*(.*)$", line)
                if m: out[m[1]] = m[2].strip().strip('"\'')
            break
        if c.cell_type == 'markdown':
            m = re.match(r'^#\s+(.*)', c.source)
            if m: out.setdefault('title', m[1].strip())
            break
    return out


def page_name(nb_path: Path) -> str:
    return 'index.html' if nb_path.stem == 'index' else nbpath2html(nb_path).name


def relink(text: str, nb_names: list[str], to) -> str:
    "Rewrite links to sibling notebooks (`00_roll.ipynb`) with `to(name)`."
    for name in nb_names:
        text = re.sub(rf'(?<=[("\']){re.escape(name)}(?=[#)"\'])', to(name), text)
    return text


def without_raw(nb):
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if c.cell_type != 'raw']
    return nb


def build_readme(root: Path, proc_index: Path, nb_names: list[str]):
    "README.md from the processed home page; its pictures go to `index_files/`."
    nb = nbformat.read(proc_index, as_version=4)
    fm = frontmatter(nb)
    body, res = MarkdownExporter().from_notebook_node(without_raw(nb))
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
    exporter = HTMLExporter(template_name='lab')
    pages = []
    for p, nb in docs:
        fm = frontmatter(nb)
        body, _ = exporter.from_notebook_node(without_raw(nb), resources={'metadata': {'name': titles[p.name]}})
        top = (f'<div class="pd-banner" style="background:#fff3cd;padding:8px 16px;font:14px sans-serif">'
               f'<b>Preview.</b> {html.escape(QUARTO_HELP)}</div>'
               f'<nav class="pd-nav" style="padding:8px 16px;font:15px sans-serif">{nav}</nav>')
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
