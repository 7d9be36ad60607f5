"""Keep the translation catalogues in step with the code: extract, update, fill, compile, list what is missing.

    python tools/catalogues.py update            # re-extract the .pot, merge it into every .po, list what is missing
    python tools/catalogues.py fill TABLE         # fill empty msgstr from a table (see `read_table`), then compile
    python tools/catalogues.py compile            # write each .mo from its .po (the .mo files are committed)
    python tools/catalogues.py missing            # the msgids without a translation, per language (exit 1 if any)

The .po files are the reviewable translation tables; the compiled .mo files are committed next to them
and shipped as package data, so `pip install -e .` alone gives a working French or English app.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "data" / "locale"
DOMAIN = "klantbeheer"
POT = LOCALE_DIR / f"{DOMAIN}.pot"
LANGUAGES = ("fr_BE", "en")
NBSP = "\u00a0"  # French typography: a no-break space before : ; ? ! and inside « »
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([^)]*\)[a-z]|%[srdg]")


def po_path(language: str, root: Path = LOCALE_DIR) -> Path:
    """The catalogue of `language` under `root`."""
    return root / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path) -> Catalog:
    """A .po or .pot file as a babel Catalog."""
    with open(path, "rb") as stream:
        return read_po(stream)


def write_catalogue(catalog: Catalog, path: Path) -> None:
    """Write `catalog` as a .po file (sorted, no line numbers, so diffs stay small)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as stream:
        write_po(stream, catalog, sort_output=True, omit_header=False, include_previous=False, width=100)


def extract(target: Path = POT, root: Path = ROOT) -> None:
    """Extract every marked text of the code into `target` (the pybabel command of docs/languages.md)."""
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"), "-k", "N_", "--no-location",
                                "--sort-output", "--project=klantbeheer", "-o", str(target), str(root)])


def update(pot: Path = POT, root: Path = LOCALE_DIR) -> None:
    """Merge the template into each language's .po: new msgids get an empty msgstr, gone ones are dropped."""
    for language in LANGUAGES:
        CommandLineInterface().run(["pybabel", "-q", "update", "-D", DOMAIN, "-i", str(pot), "-d", str(root), "-l", language,
                                    "--no-fuzzy-matching", "--ignore-obsolete", "--width=100"])


def is_translated(message) -> bool:
    """A message with a non-empty translation (every plural form), not marked fuzzy."""
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return bool(strings) and all(strings) and not message.fuzzy


def missing(root: Path = LOCALE_DIR) -> dict[str, list[str]]:
    """Per language, the msgids that have no translation yet."""
    found = {}
    for language in LANGUAGES:
        catalog = read_catalogue(po_path(language, root))
        found[language] = [message.id for message in catalog if message.id and not is_translated(message)]
    return found


def placeholders(text: str) -> list[str]:
    """The {placeholders} and %-formats of a text, sorted (their order may change in a translation)."""
    return sorted(PLACEHOLDER.findall(text))


def french_spacing(text: str) -> str:
    """A no-break space before : ; ? ! and inside « » (a plain space there becomes a no-break one)."""
    text = re.sub(r" ([:;?!»])", NBSP + r"\1", text)
    return text.replace("« ", "«" + NBSP)


def read_table(path: Path) -> dict[str, dict[str, str]]:
    """A table of translations: blocks of three lines (Dutch msgid, French, English), blank line between; \\n escaped."""
    table: dict[str, dict[str, str]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line.replace("\\n", "\n") for line in block.strip("\n").split("\n")]
        if len(lines) != 3:
            raise SystemExit(f"{path}: a block needs three lines (nl, fr_BE, en), got: {lines}")
        table[lines[0]] = {"fr_BE": french_spacing(lines[1]), "en": lines[2]}
    return table


def fill(table_path: Path, root: Path = LOCALE_DIR) -> None:
    """Fill each empty msgstr from the table (existing translations are kept), then compile."""
    table = read_table(table_path)
    for language in LANGUAGES:
        path = po_path(language, root)
        catalog = read_catalogue(path)
        for message in catalog:
            if message.id and not is_translated(message) and message.id in table:
                message.string = table[message.id][language]
                message.flags.discard("fuzzy")
        write_catalogue(catalog, path)
    compile_all(root)


def compile_all(root: Path = LOCALE_DIR) -> None:
    """Write each language's .mo from its .po (untranslated messages are left out: they show in Dutch)."""
    for language in LANGUAGES:
        path = po_path(language, root)
        with open(path.with_suffix(".mo"), "wb") as stream:
            write_mo(stream, read_catalogue(path))


def main(argv: list[str]) -> int:
    """Run one of the commands of the module docstring."""
    command = argv[0] if argv else ""
    if command == "update":
        extract()
        update()
    elif command == "fill" and len(argv) == 2:
        fill(Path(argv[1]))
    elif command == "compile":
        compile_all()
    elif command != "missing":
        print(__doc__)
        return 2
    gaps = missing()
    for language, ids in gaps.items():
        for msgid in ids:
            print(f"{language}: {msgid!r}")
    return 1 if any(gaps.values()) and command == "missing" else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
