"""Every visible text goes through gettext (issue 14): a pseudo-translation shows no word outside ⟦ ⟧, customer data aside.

The catalogue is generated from the committed klantbeheer.pot, so a text that is not marked, or
marked but missing from the .pot, shows unbracketed and fails. The screen walks run once more for
each shipped catalogue (fr_BE, en; issue 20) with every translation wrapped in ⟦ ⟧: a text the
catalogue lacks shows in Dutch, unbracketed, and fails; the waits look for the translated texts. Opened by keys: the search screen
(results, list, filter, no-result notice), F1 help, the command palette and theme picker, the Ctrl+C
notice, the customer form (every tab, F1, block dialog, delete confirmation, invalid field, save-changes
dialog, changed-elsewhere notice, merge dialog), the new dossier screen, the blocked notice, a
medewerker's refusals, the kiosk idle warning and the restore question at start-up; the command line
in a subprocess. A static test checks that literal texts handed to widgets are marked everywhere.
"""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from klantbeheer.data import customers, reference, staff
from klantbeheer.data.i18n import ENVIRONMENT, _, ngettext, set_language
from tests.support.pseudo_i18n import CLOSE, OPEN, POT, PSEUDO, untranslated_words, words_of, write_pseudo_catalogue
from tests.support.search_screen_helpers import first_option, make_app
from tests.support.typeahead_helpers import burst, keys_of, settle_keys
from tests.support.waiting import app_until

ROOT = Path(__file__).resolve().parent.parent
CHOICE_KINDS = ["language", "customer_type", "legal_form", "salutation", "payment_condition", "discount_scheme",
                "price_list", "internal_account", "block_reason", "vat_rate"]


@pytest.fixture
def pseudo(tmp_path: Path):
    """The process speaks the pseudo language for one test (Dutch again afterwards)."""
    set_language(PSEUDO, write_pseudo_catalogue(tmp_path / "locale"))
    yield
    set_language("nl")


@pytest.fixture(params=["pot", "fr_BE", "en"])
def catalogue(request, tmp_path: Path):
    """The pseudo language built from the template, then from each shipped catalogue (Dutch again afterwards)."""
    set_language(PSEUDO, write_pseudo_catalogue(tmp_path / "locale", request.param))
    yield request.param
    set_language("nl")


def shown(msgid: str, tail: bool = False) -> str:
    """A piece (15 characters, from the start or the end) of a text as the current catalogue shows it, to wait for."""
    text = _(msgid).strip(OPEN + CLOSE + " ·.")
    return text[-15:] if tail else text[:15]


def data_words() -> set[str]:
    """Words the app may show untranslated: customers, reference lists, countries, repairers, staff."""
    rows = customers.search("", 1000, False)
    lists = [reference.choices(kind) for kind in CHOICE_KINDS]
    people = staff.all_staff()
    return words_of(rows, lists, reference.countries(), reference.repairer_choices(), people)


def screen_text(app) -> str:
    """The top screen as rendered, plus each notification's text."""
    from textual.widgets._toast import Toast

    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
    return "\n".join(lines + toasts)


def assert_translated(app, allowed: set[str], where: str) -> None:
    """No word outside the brackets on the screen now (customer data and key names aside)."""
    text = screen_text(app)
    assert untranslated_words(text, allowed) == [], f"{where}:\n{text}"


def test_dutch_is_the_source_language() -> None:
    set_language("nl")
    assert _("Zoeken…") == "Zoeken…"
    assert ngettext("{n} klant", "{n} klanten", 2) == "{n} klanten"


def test_the_pseudo_catalogue_wraps_texts(pseudo) -> None:
    assert _("Zoeken…") == "⟦Zoeken…⟧"
    assert _("niet gemarkeerd") == "niet gemarkeerd"
    assert untranslated_words("⟦Zoeken…⟧ ABC ⟦Geen resul…\nklant⟧ Ctrl+S", {"ABC"}) == []
    assert untranslated_words("⟦Zoeken⟧ Nieuw", set()) == ["Nieuw"]
    assert untranslated_words("⟦aan ⟦klant 1⟧ van\nmaart⟧ ⟦x⟧", set()) == []  # nested, wrapped
    assert untranslated_words("⟦Zoeken⟧ │External r… ⟦Geblokkeerd⟧", set()) == []  # its bracket under a dialog's edge
    assert untranslated_words("⟦Zoeken⟧ │ External", set()) == ["External"]  # a gap: not cut by the edge


def test_the_pot_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "N_", "--no-location",
                                "--sort-output", "--project=klantbeheer", "-o", str(fresh), str(ROOT)])
    ids = [{m.id for m in read_po(open(path, "rb")) if m.id} for path in (POT, fresh)]
    missing, stale = ids[1] - ids[0], ids[0] - ids[1]
    assert (missing, stale) == (set(), set()), "run: pybabel extract (see docs/languages.md, Translations)"


async def test_search_help_and_palette_show_no_untranslated_text(demo_db: str, catalogue: str) -> None:
    allowed = data_words() | {"zzqqxx", "ABC", "Thm"}  # and what the test types
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(120, 30)) as pilot:
        await settle_keys(pilot)
        assert_translated(app, allowed, "search screen")
        await burst(pilot, "down")
        assert_translated(app, allowed, "results list")
        await burst(pilot, "f1")
        assert_translated(app, allowed, "F1 help (list)")
        await burst(pilot, "escape", "slash", "f4")
        await app_until(pilot, lambda: shown("  ·  filter: alleen geblokkeerd", tail=True) in screen_text(app))
        assert_translated(app, allowed, "filter alleen geblokkeerd")
        await burst(pilot, "f1")
        assert_translated(app, allowed, "F1 help (search box)")
        await burst(pilot, "escape", "f4", *keys_of("zzqqxx"), "enter")
        await app_until(pilot, lambda: shown("Kies eerst een klant in de lijst.") in screen_text(app))
        assert_translated(app, allowed, "no results, notice")
        await burst(pilot, "escape", "ctrl+p")
        assert_translated(app, allowed, "command palette")
        await burst(pilot, *keys_of("ABC"))
        await app_until(pilot, lambda: shown("Klant openen") in screen_text(app))
        assert_translated(app, allowed, "command palette, a customer")
        await burst(pilot, "escape", "ctrl+c")
        await app_until(pilot, lambda: "Ctrl+Q" in screen_text(app))
        assert_translated(app, allowed, "Ctrl+C notice")
        await burst(pilot, "ctrl+p", *keys_of("Thm"))  # matches Thema, Thème and Theme
        await app_until(pilot, lambda: shown("Thema") in first_option(app))  # the palette searches in the background
        await burst(pilot, "enter")
        await app_until(pilot, lambda: shown("Zoek een thema…") in screen_text(app))
        assert_translated(app, allowed | words_of(list(app.available_themes)), "theme picker")
        await burst(pilot, "escape")


def test_the_command_line_speaks_the_catalogue(demo_db: str, tmp_path: Path) -> None:
    """--help and an error message in the pseudo language (the CLI's own words and argparse's)."""
    root = write_pseudo_catalogue(tmp_path / "locale")
    code = ("import sys; from klantbeheer.data.i18n import set_language; set_language('xx', sys.argv[1]); "
            "from klantbeheer import app; raise SystemExit(app.main(sys.argv[2:]))")
    environ = {key: value for key, value in os.environ.items() if key not in ENVIRONMENT}  # LANG=nl_BE would win
    helped = subprocess.run([sys.executable, "-c", code, str(root), "--help"], capture_output=True, text=True, cwd=ROOT, env=environ)
    assert helped.returncode == 0
    assert "⟦gebruik: ⟧" in helped.stdout and "⟦klanten zoeken⟧" in helped.stdout
    failed = subprocess.run([sys.executable, "-c", code, str(root), "show", "999999", "--db", demo_db, "--operator", "admin"],
                            capture_output=True, text=True, cwd=ROOT, env=environ)
    assert failed.returncode == 2 and failed.stderr.strip() == "⟦Klant 999999 bestaat niet.⟧"


TEXT_CALLS = {"Static", "Label", "Button", "Checkbox", "notify", "SystemCommand", "Hit", "DiscoveryHit", "ConfirmationModal",
              "TextField", "Select", "CommandPalette", "add_argument", "add_parser", "DutchParser", "add_subparsers"}
TEXT_KEYWORDS = {"title", "placeholder", "prompt", "tooltip", "help", "description", "yes", "no", "metavar"}
# Files whose texts are not marked yet (none: every file is).
NOT_YET_MARKED: set[str] = set()


def _is_text(node: ast.AST) -> bool:
    """A literal with words in it (a plain string or an f-string), not wrapped in _() or N_()."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]{2,}", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_is_text(part) for part in node.values)
    return False


def unmarked_texts(path: Path) -> list[str]:
    """'file:line' for each literal text handed to a widget, a notification, a binding or argparse unmarked."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name == "Binding":
            texts = node.args[2:3]
        elif name in TEXT_CALLS:
            texts = list(node.args) if name not in {"add_argument", "add_parser"} else []
        else:
            continue
        texts += [keyword.value for keyword in node.keywords if keyword.arg in TEXT_KEYWORDS]
        found += [f"{path.relative_to(ROOT)}:{text.lineno}" for text in texts if _is_text(text)]
    return found


def test_every_text_handed_to_the_screen_is_marked() -> None:
    files = [ROOT / "app.py", *sorted((ROOT / "data" / "cli").rglob("*.py")), *sorted((ROOT / "tui").rglob("*.py"))]  # the CLI too
    offenders = [line for path in files if str(path.relative_to(ROOT)) not in NOT_YET_MARKED for line in unmarked_texts(path)]
    assert offenders == []


def _own_scope(node: ast.AST):
    """The nodes of one scope, without those of nested functions, classes and comprehensions."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp, ast.DictComp,
              ast.GeneratorExp)
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        yield child
        if not isinstance(child, nested):
            stack.extend(ast.iter_child_nodes(child))


def test_no_scope_hides_gettext_behind_a_throwaway_underscore() -> None:
    """`for _, x in ...` in a function (or module) that also calls _() breaks it: UnboundLocalError at run time."""
    offenders = []
    for path in [ROOT / "app.py", *sorted((ROOT / "tui").rglob("*.py")), *sorted((ROOT / "data").rglob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for scope in [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]:
            stores = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in _own_scope(scope))
            calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_" for n in ast.walk(scope))
            if stores and calls:
                offenders.append(f"{path.relative_to(ROOT)}:{getattr(scope, 'lineno', 1)}")
    assert offenders == []


async def open_by_keys(pilot, number: int) -> None:
    """From the search screen: type the number, Enter opens the form; wait until it shows the customer."""
    from tests.support.form_helpers import wait_form

    await burst(pilot, "escape", *keys_of(str(number)), "enter")
    await wait_form(pilot)
    await app_until(pilot, lambda: getattr(pilot.app.screen, "data", None) is not None)


async def test_the_form_and_its_dialogs_show_no_untranslated_text(demo_db: str, catalogue: str) -> None:
    from textual.widgets import Input

    from klantbeheer.tui.dialogs.merge import MergeDialog
    from tests.support.form_helpers import wait_form

    allowed = data_words() | words_of(customers.get(123)) | {"Anna", "nergens"}
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(120, 36)) as pilot:
        await settle_keys(pilot)
        await open_by_keys(pilot, 123)
        assert_translated(app, allowed, "form, Algemeen")
        for tab in range(2, 7):
            await burst(pilot, f"alt+{tab}")
            assert_translated(app, allowed, f"form, tab {tab}")
        await burst(pilot, "f1")
        assert_translated(app, allowed, "F1 help on the form")
        await burst(pilot, "escape", "alt+1", "ctrl+b")
        assert_translated(app, allowed, "block dialog")
        await burst(pilot, "ctrl+s")
        await app_until(pilot, lambda: shown("Kies een reden") in screen_text(app))
        assert_translated(app, allowed, "block dialog, no reason")
        await burst(pilot, "escape", "ctrl+d")
        assert_translated(app, allowed, "delete confirmation (or its refusal)")
        await burst(pilot, "escape", "alt+3", "tab", "tab", "tab", *keys_of("nergens"), "ctrl+s")
        await wait_form(pilot)
        await app_until(pilot, lambda: shown("Niet bewaard: controleer de velden", tail=True) in screen_text(app))
        assert_translated(app, allowed, "invalid e-mail")
        await burst(pilot, "escape")
        assert_translated(app, allowed, "save-changes dialog")
        await burst(pilot, "escape")
        form = app.screen
        form.query_one("#email", Input).value = ""  # valid again
        form.query_one("#contact", Input).value = "Anna"  # and a change that another operator makes too
        customers.update(123, {"contact": "Bert"}, form.version, "mw")
        await app_until(pilot, lambda: shown("Intussen gewijzigd") in screen_text(app), timeout=5)  # the watcher polls each second
        assert_translated(app, allowed | {"Bert"}, "changed elsewhere")
        await burst(pilot, "ctrl+s")
        await wait_form(pilot)
        await app_until(pilot, lambda: isinstance(app.screen, MergeDialog))
        assert_translated(app, allowed | {"Bert"}, "merge dialog")
        await burst(pilot, "h")
        await wait_form(pilot)
        await burst(pilot, "f3")
        await app_until(pilot, lambda: "ABC" in screen_text(app) and app.screen is not form)
        assert_translated(app, allowed, "new dossier for the customer")
        await burst(pilot, "f1")
        assert_translated(app, allowed, "F1 help on the new dossier screen")
        await burst(pilot, "escape", "ctrl+s")
        await app_until(pilot, lambda: shown("Dossier niet aangemaakt") in screen_text(app))
        assert_translated(app, allowed, "dossier without a description")
        await burst(pilot, "escape")
        await burst(pilot, "f2")
        await app_until(pilot, lambda: type(app.screen).__name__ == "CustomerSearchScreen")
        await burst(pilot, "escape", *keys_of("Desmet"))
        await app_until(pilot, lambda: "Desmet" in screen_text(app))
        app.clear_notifications()  # each toast was read when it came; half-hidden behind the notice its lines lose their ⟦ ⟧
        await burst(pilot, "f3")
        try:
            await app_until(pilot, lambda: shown("U kunt niet doorgaan met dit dossier.") in screen_text(app))
        except AssertionError:
            raise AssertionError(screen_text(app)) from None
        assert_translated(app, allowed, "blocked notice")


async def test_refusals_idle_warning_and_restore_question_show_no_untranslated_text(demo_db: str, catalogue: str) -> None:
    from textual.widgets import Input

    from klantbeheer.tui.dialogs.restore_draft import RestoreDraftDialog
    from klantbeheer.tui.kiosk import IdleWarning
    from tests.support.apps import make_app as make_kiosk_app

    allowed = data_words() | words_of(customers.get(123)) | {"Anna"}
    # A long idle time while the refusals are read (a loaded machine may take seconds), a short one after.
    app = make_kiosk_app(demo_db, "mw", kiosk=True, idle_seconds=600.0, warn_seconds=2.0)
    async with app.run_test(notifications=True, size=(120, 36)) as pilot:
        await settle_keys(pilot)
        await open_by_keys(pilot, 123)
        await burst(pilot, "ctrl+b")
        await app_until(pilot, lambda: shown("Alleen een beheerder mag een klant blokkeren of deblokkeren; u bent medewerker.") in screen_text(app))
        assert_translated(app, allowed, "medewerker may not block")
        await burst(pilot, "ctrl+d")
        assert_translated(app, allowed, "medewerker may not delete")
        app.screen.query_one("#contact", Input).value = "Anna"
        app.idle_watch.seconds = 6.0
        app.idle_watch.touch()
        await app_until(pilot, lambda: isinstance(app.screen, IdleWarning))
        assert_translated(app, allowed, "kiosk idle warning")
        await app_until(pilot, lambda: type(app.screen).__name__ == "CustomerSearchScreen")
    again = make_kiosk_app(demo_db, "mw")
    async with again.run_test(notifications=True, size=(120, 36)) as pilot:
        await app_until(pilot, lambda: isinstance(again.screen, RestoreDraftDialog))
        assert_translated(again, allowed, "restore question")
        await burst(pilot, "w")
