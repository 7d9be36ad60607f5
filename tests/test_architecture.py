"""The data layer stands on its own: importing every data module never imports textual."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.foundation_helpers import ROOT

PROBE = """
import importlib, pkgutil, sys
import data
names = ['data']
for info in pkgutil.walk_packages(data.__path__, 'data.'):
    names.append(info.name)
for name in names:
    importlib.import_module(name)
print(len(names))
print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))
"""


def test_importing_every_data_module_never_imports_textual() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 0, done.stderr
    count, textual_modules = done.stdout.strip().splitlines()
    assert int(count) >= 15  # data, its modules and data.migrations.* were really imported
    assert textual_modules == "[]"


def test_data_sources_do_not_mention_textual_imports() -> None:
    for path in (ROOT / "data").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            assert not (stripped.startswith(("import textual", "from textual")) or "import_module(\"textual" in stripped), path
