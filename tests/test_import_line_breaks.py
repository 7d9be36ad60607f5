"""A line break inside a quoted cell, as Excel (CRLF) or an old Mac (CR) writes it, is a line break (issue 28, point 3).

Before: a CRLF inside a quoted remark refused the row ("Bevat ongeldige tekens.").
"""
from __future__ import annotations

from pathlib import Path

from klantbeheer.data import customers
from klantbeheer.data.transfer import importer
from tests.support.transfer_files import write_csv


def test_crlf_and_cr_inside_a_quoted_remark_are_kept_as_line_breaks(db_path: str, tmp_path: Path) -> None:
    header = ["Naam", "Postcode", "Gemeente", "Opmerkingen"]
    rows = [["Excel BV", "9000", "Gent", "Eerste regel\r\nTweede regel"], ["Oude Mac NV", "3500", "Hasselt", "Een\rTwee"]]
    source = write_csv(tmp_path / "regels.csv", header, rows)
    assert b'"Eerste regel\r\nTweede regel"' in source.read_bytes()  # really CRLF inside the quotes
    result = importer.run_import(str(source), "admin")
    assert result["invalid"] == 0 and result["created"] == 2, importer.describe(result)
    remarks = {row["name"]: customers.get(row["number"])["remarks"] for row in customers.search("", 10)}
    assert remarks == {"Excel BV": "Eerste regel\nTweede regel", "Oude Mac NV": "Een\nTwee"}


def test_a_line_break_in_a_one_line_field_is_still_refused(db_path: str, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "naam.csv", ["Naam", "Postcode", "Gemeente"], [["Twee\r\nRegels", "9000", "Gent"]])
    result = importer.run_import(str(source), "admin")
    assert result["invalid"] == 1 and result["created"] == 0
