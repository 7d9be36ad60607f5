"""Debian's LibreOffice Calc, headless, as the office's spreadsheet: convert a file in a chosen locale."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

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
