"""Files saved by a real spreadsheet (Debian's LibreOffice Calc, headless) arrive as the office meant them (issue 28).

The sheet is written as a flat OpenDocument file with TYPED cells (a percentage cell holding 0.21, boolean cells,
the yes/no words LibreOffice writes in Dutch and French), and LibreOffice itself saves it as .xlsx, as a `;` CSV in
UTF-8 and as "Unicode text" (UTF-16 with a byte-order mark). Before: the percent cell was read as 0.21 and the row
refused, WAAR and VRAI were refused in Opmerking Tonen and Toon Identiteitskaart, and UTF-16 was read as Windows-1252.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from klantbeheer.data import customers
from klantbeheer.data.transfer import importer

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Calc is not installed (apt-get install "
                                                        "libreoffice-calc; .ci/run does that)")

HEADER = ["Naam", "Postcode", "Gemeente", "BTW-percentage", "Opmerking Tonen", "Toon Identiteitskaart", "Geblokkeerd"]
# name, postcode, town, the percentage cell's value, a boolean cell, a yes/no word, a yes/no word for Geblokkeerd
ROWS = [
    ("Hélène Dubois-Noë", "8830", "Hooglede", 0.21, True, "VRAI", "ONWAAR"),
    ("Garage Zuid", "9000", "Gent", 0.06, False, "WAAR", "FAUX"),
    ("Atelier Leroy", "2000", "Antwerpen", 0.12, True, "x", "non"),
]
# name -> (vat_rate, show_remarks, show_id_card, blocked) as the office meant them
MEANT = {"Hélène Dubois-Noë": (21, True, True, False), "Garage Zuid": (6, False, True, False),
         "Atelier Leroy": (12, True, True, False)}

FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:percentage-style style:name="P0"><number:number number:decimal-places="0" number:min-integer-digits="1"/>
   <number:text>%</number:text></number:percentage-style>
  <number:boolean-style style:name="B0"><number:boolean/></number:boolean-style>
  <style:style style:name="percent" style:family="table-cell" style:data-style-name="P0"/>
  <style:style style:name="yesno" style:family="table-cell" style:data-style-name="B0"/>
 </office:automatic-styles>
 <office:body><office:spreadsheet><table:table table:name="Klanten">{rows}</table:table></office:spreadsheet></office:body>
</office:document>
"""


def text_cell(value: str) -> str:
    """A string cell."""
    return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def typed_row(row: tuple) -> str:
    """One customer: text cells, a real percentage cell and a real boolean cell."""
    name, postcode, town, rate, flag, word, blocked = row
    percent = (f'<table:table-cell table:style-name="percent" office:value-type="percentage" office:value="{rate}">'
               f"<text:p>{round(rate * 100)}%</text:p></table:table-cell>")
    boolean = (f'<table:table-cell table:style-name="yesno" office:value-type="boolean" '
               f'office:boolean-value="{str(flag).lower()}"><text:p>{flag}</text:p></table:table-cell>')
    cells = [text_cell(name), text_cell(postcode), text_cell(town), percent, boolean, text_cell(word), text_cell(blocked)]
    return "<table:table-row>" + "".join(cells) + "</table:table-row>"


def libreoffice_saves(tmp_path: Path, target: str, suffix: str) -> Path:
    """The typed sheet, saved by LibreOffice with the filter `target`; the saved file."""
    source = tmp_path / "kantoor.fods"
    header = "<table:table-row>" + "".join(text_cell(label) for label in HEADER) + "</table:table-row>"
    source.write_text(FODS.format(rows=header + "".join(typed_row(row) for row in ROWS)), encoding="utf-8")
    out = tmp_path / "out"
    profile = tmp_path / "lo-profile"  # its own profile: parallel tests never share LibreOffice's lock
    done = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                           "--convert-to", target, "--outdir", str(out), str(source)],
                          capture_output=True, text=True, timeout=180)
    saved = out / f"kantoor.{suffix}"
    assert saved.is_file(), f"LibreOffice saved nothing: {done.stdout} {done.stderr}"
    return saved


def as_imported(path: Path) -> dict[str, tuple]:
    """Import `path` as admin; name -> (vat_rate, show_remarks, show_id_card, blocked) of what was stored."""
    result = importer.run_import(str(path), "admin")
    assert result["invalid"] == 0 and result["created"] == len(ROWS), importer.describe(result)
    found = {}
    for name in MEANT:
        row = customers.search(name)[0]
        stored = customers.get(row["number"])
        found[stored["name"]] = (stored["vat_rate"], stored["show_remarks"], stored["show_id_card"], stored["blocked"])
    return found


@pytest.mark.parametrize(("target", "suffix"), [
    ("xlsx", "xlsx"),
    ("csv:Text - txt - csv (StarCalc):59,34,76,1", "csv"),  # ; separated, UTF-8
    ("csv:Text - txt - csv (StarCalc):9,34,65535,1", "csv"),  # "Unicode text": tab separated, UTF-16 with a BOM
], ids=["xlsx", "csv-utf8", "unicode-text"])
def test_a_sheet_saved_by_libreoffice_arrives_as_meant(db_path: str, tmp_path: Path, target: str, suffix: str) -> None:
    saved = libreoffice_saves(tmp_path, target, suffix)
    if target.endswith("65535,1"):
        assert saved.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")  # really UTF-16 with its mark
    assert as_imported(saved) == MEANT
