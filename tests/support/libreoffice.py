"""Debian's LibreOffice Calc, headless, as the office's spreadsheet: convert a file in a chosen locale."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Calc is not installed (apt-get install "
                                                               "libreoffice-calc; .ci/run does that)")

# LibreOffice's CSV filter options: separator, quote, character set (76 UTF-8, 1 Windows-1252, 65535 UTF-16), first row.
CSV_UTF8 = "csv:Text - txt - csv (StarCalc):59,34,76,1"
CSV_1252 = "csv:Text - txt - csv (StarCalc):59,34,1,1"
UNICODE_TEXT = "csv:Text - txt - csv (StarCalc):9,34,65535,1"  # what Calc's menu calls "Unicode text": tab, UTF-16

LOCALE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>{locale}</value></prop></item>
</oor:items>
"""


def convert(source: Path, target: str, out: Path, locale: str = "nl-BE", infilter: str | None = None) -> Path:
    """LibreOffice opens `source` (with `infilter`, when given) and saves it with the filter `target` into `out`,
    as a Calc set to `locale` (nl-BE, fr-BE: booleans, dates and decimals as that office sees them)."""
    assert SOFFICE is not None
    profile = out.parent / f"lo-profile-{out.name}"  # its own profile: parallel tests never share LibreOffice's lock
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(LOCALE_SETTINGS.format(locale=locale), encoding="utf-8")
    command = [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}"]
    if infilter:
        command.append(f"--infilter={infilter}")
    done = subprocess.run([*command, "--convert-to", target, "--outdir", str(out), str(source)],
                          capture_output=True, text=True, timeout=180)
    suffix = target.split(":", 1)[0]
    saved = out / f"{source.stem}.{suffix}"
    assert saved.is_file(), f"LibreOffice saved nothing: {done.stdout} {done.stderr}"
    return saved


# A flat OpenDocument spreadsheet with the cell styles the tests type: percent, boolean, dd/mm/yyyy, six digits.
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
  <number:date-style style:name="D0"><number:day number:style="long"/><number:text>/</number:text>
   <number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>
  <number:number-style style:name="N6"><number:number number:decimal-places="0" number:min-integer-digits="6"/>
   </number:number-style>
  <style:style style:name="percent" style:family="table-cell" style:data-style-name="P0"/>
  <style:style style:name="yesno" style:family="table-cell" style:data-style-name="B0"/>
  <style:style style:name="day" style:family="table-cell" style:data-style-name="D0"/>
  <style:style style:name="six" style:family="table-cell" style:data-style-name="N6"/>
 </office:automatic-styles>
 <office:body><office:spreadsheet><table:table table:name="Klanten">{rows}</table:table></office:spreadsheet></office:body>
</office:document>
"""


def text_cell(value: str) -> str:
    """A string cell."""
    return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def flat_sheet(rows: list[list[str]]) -> str:
    """The .fods text of a sheet whose rows are lists of cells (text_cell and the tests' own typed cells)."""
    return FODS.format(rows="".join("<table:table-row>" + "".join(cells) + "</table:table-row>" for cells in rows))
