#!/usr/bin/env bash
# Fail if nbdev-export / nbdev-clean / the README build change any file: the package and README.md
# must be what the notebooks say, and the notebooks must be clean. Names the files that changed.
set -euo pipefail
bin=${1:-.venv/bin}
if ! git rev-parse --git-dir >/dev/null 2>&1; then
  echo "check-sync: not a git checkout, skipped"; exit 0
fi
state() { git status --porcelain --untracked-files=all; git diff | sha1sum; }
before=$(state)
"$bin/nbdev-export"
"$bin/nbdev-clean"
"$bin/python" tools/build_docs.py --readme-only >/dev/null
after=$(state)
if [ "$before" != "$after" ]; then
  echo "check-sync: nbdev-export / nbdev-clean / README build changed files:" >&2
  diff <(echo "$before") <(echo "$after") | grep '^[<>]' | grep -v '  -$' >&2 || true
  echo "Commit the notebooks together with the module they export (run nbdev-export and nbdev-clean)." >&2
  exit 1
fi
echo "check-sync: notebooks, package and README agree"
