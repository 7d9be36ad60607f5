"""Helpers for the data-layer and CLI tests of the foundation (issue 2): CLI runner, values, counts."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klantbeheer.data.models import Customer, CustomerEvent, Dossier

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@dataclass
class CliResult:
    """What one run of app.py gave back."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """The standard output parsed as JSON."""
        return json.loads(self.out)


def run_cli(*args: str, db: str | None = None, operator: str | None = "admin", env: dict[str, str] | None = None, timeout: float = 60) -> CliResult:
    """Run `python app.py ARGS --db DB --operator OP` in a real subprocess."""
    command = [sys.executable, APP, *args]
    if db is not None:
        command += ["--db", db]
    if operator is not None:
        command += ["--operator", operator]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment, timeout=timeout)
    return CliResult(done.returncode, done.stdout, done.stderr)


def be_vat(first_eight: int) -> str:
    """A valid Belgian VAT number (BE + 10 digits, mod-97 check) built from eight digits."""
    base = f"{first_eight:08d}"
    return f"BE{base}{97 - int(base) % 97:02d}"


def counts() -> tuple[int, int, int]:
    """How many customers, history events and dossiers the bound database holds."""
    return Customer.select().count(), CustomerEvent.select().count(), Dossier.select().count()


VALID = {
    "name": "Testbedrijf NV",
    "vat_number": "BE0867756456",
    "iban": "BE71 0961 2345 6769",
    "email": "info@testbedrijf.be",
    "postcode": "8830",
    "country": "BE",
    "phone": "051 20 20 20",
    "payment_term_days": 30,
}


def build_demo_template(folder: Path) -> Path:
    """A closed demo database file (admin beheerder, mw medewerker, demo data) to copy per test."""
    from klantbeheer.data import demo, staff
    from klantbeheer.data.db import open_database
    from klantbeheer.data.models import database_proxy

    path = folder / "template.db"
    open_database(str(path), create=True)
    staff.login("admin")
    staff.add("mw", "Mia Medewerker", "medewerker", "admin")
    demo.load_demo("admin", demo_database=True)
    database_proxy.obj.close()  # the last connection to close folds the WAL into the file
    return path


def open_copy(template: Path, folder: Path) -> str:
    """Copy the template database into folder, open and bind it; return its path."""
    import shutil

    from klantbeheer.data.db import open_database

    path = folder / "klantbeheer.db"
    shutil.copyfile(template, path)
    open_database(str(path), create=True)
    return str(path)
