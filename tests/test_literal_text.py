"""User text is never markup: every Static and Label in tui/ is built with markup=False, notifications never parse markup."""
from __future__ import annotations

import ast

import pytest

from tests.support.foundation_helpers import ROOT

TEXT_WIDGETS = {"Static", "Label"}


def calls_without_markup_false(path) -> list[str]:
    """'file:line Name(...)' for each Static/Label call in a module that does not pass markup=False."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in TEXT_WIDGETS:
                markup = [k for k in node.keywords if k.arg == "markup"]
                if not markup or not (isinstance(markup[0].value, ast.Constant) and markup[0].value.value is False):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}(...)")
    return found


def titles_not_literal(path) -> list[str]:
    """'file:line' for each border_title / border_subtitle set to something other than a constant or Content(...)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in ("border_title", "border_subtitle"):
                    value = node.value
                    literal = isinstance(value, ast.Constant) or (
                        isinstance(value, ast.Call) and getattr(value.func, "id", "") in ("Content", "Text"))
                    if not literal:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {target.attr}")
    return found


def test_every_border_title_is_literal() -> None:
    offenders = [line for path in sorted((ROOT / "tui").rglob("*.py")) for line in titles_not_literal(path)]
    assert offenders == []


def test_every_static_and_label_shows_its_text_literally() -> None:
    offenders = [line for path in sorted((ROOT / "tui").rglob("*.py")) for line in calls_without_markup_false(path)]
    assert offenders == []


@pytest.mark.parametrize("text", ["Dupont [/]", "[bold]x", "[link=http://x]y[/link]", "Garage [Gent]"])
async def test_a_notification_shows_markup_characters_as_typed(db_path: str, text: str) -> None:
    from textual.widgets._toast import Toast

    from tests.support.search_screen_helpers import make_app
    from tests.support.waiting import app_until

    app = make_app(db_path)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        app.notify(f"Klant {text} is bewaard.", title=text)

        def toasts() -> list[Toast]:
            return list(app.screen.query(Toast)) or list(app.query(Toast))

        await app_until(pilot, lambda: bool(toasts()), timeout=30)
        toasts = toasts()
        shown = "\n".join(str(toast.render()) for toast in toasts)
        assert f"Klant {text} is bewaard." in shown
        assert text in shown
