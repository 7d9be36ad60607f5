"""The progress callback long operations report to (the command line draws it: data/cli/progress.py)."""
from __future__ import annotations

from typing import Callable

Progress = Callable[[str, int, int], None]  # (what, done, total); total 0 when unknown
