"""The location line keeps the operator visible at any width; the location gives way first."""
from __future__ import annotations

from klantbeheer.tui.widgets.location_bar import location_line

FORM = "Beheer › Derde partijen › Klanten › Beheer Eigenaars"


def test_wide_line_has_app_location_and_operator() -> None:
    line = location_line(FORM, "Mia Medewerker (medewerker)", 118)
    assert line.startswith("Klantbeheer · " + FORM) and line.endswith("Mia Medewerker (medewerker)")
    assert len(line) == 118


def test_at_80_columns_the_role_is_never_cut() -> None:
    line = location_line(FORM, "Mia Medewerker (medewerker)", 78)
    assert line.endswith("Mia Medewerker (medewerker)")
    assert len(line) <= 78
    assert line.startswith("… › ") and "Beheer Eigenaars" in line


def test_very_narrow_line_shortens_the_location_with_an_ellipsis() -> None:
    line = location_line(FORM, "Mia Medewerker (medewerker)", 50)
    assert line.endswith("Mia Medewerker (medewerker)") and "…" in line and len(line) <= 50
