"""The command line's conventions (issue 24): --version, --json refusals, exit codes in --help, the import's exit code,
and known causes (issue 26: disk full, read-only, not a database, a deleted database) in one Dutch sentence."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from importlib import metadata
from pathlib import Path

import pytest

from klantbeheer.data import customers, errors, staff
from klantbeheer.data.errors import DatabaseProblem
from klantbeheer.data.models import database_proxy
from tests.support.foundation_helpers import CliResult, run_cli
from tests.support.transfer_files import write_csv

SETPRIV = shutil.which("setpriv")
DROP_ROOT_POWER = [SETPRIV, "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 and SETPRIV else []


def refusal(result: CliResult, code: int, kind: str, *words: str) -> dict:
    """One Dutch sentence on stderr, and on stdout exactly one JSON object repeating it with the code and kind."""
    assert result.code == code, (result.code, result.err)
    assert "Traceback" not in result.err, result.err
    sentence = result.err.strip()
    assert len(sentence.splitlines()) == 1, result.err
    for word in words:
        assert word in sentence, (word, sentence)
    assert len(result.out.strip().splitlines()) == 1, result.out
    answer = json.loads(result.out)
    assert answer == {"error": sentence, "exit": code, "kind": kind}
    return answer


@pytest.fixture
def shop(tmp_path: Path) -> str:
    """A database made by `init` and `demo`, with the medewerker 'mw'."""
    path = str(tmp_path / "kantoor.db")
    for command in (["init"], ["demo"], ["staff", "add", "mw", "--role", "medewerker"]):
        done = run_cli(*command, db=path)
        assert done.code == 0, done.err
    return path


def blocked_number(path: str) -> int:
    """A customer of the demo data that is blocked."""
    found = run_cli("search", "", "--blocked", "--json", db=path).json()
    return found[0]["number"]


# --- --version and --help --------------------------------------------------------------------

def test_version_prints_the_installed_version_and_exits_0() -> None:
    done = run_cli("--version", operator=None)
    assert done.code == 0 and done.err == ""
    assert done.out == f"klantbeheer {metadata.version('klantbeheer')}\n"


def test_help_lists_the_exit_codes_of_the_error_classes() -> None:
    done = run_cli("--help", operator=None)
    assert done.code == 0, done.err
    codes = done.out[done.out.index("afsluitcodes:"):]
    starts = {line.split()[0]: line for line in codes.splitlines()[1:] if line.startswith("  ") and line.split()[0].isdigit()}
    assert set(starts) == {"0", "1", "2", "3", "4", "130"}, codes
    assert "gelukt" in starts["0"]
    assert "onverwachte fout" in codes and "databaseprobleem" in starts[str(errors.DatabaseProblem.exit_code)]
    assert "ongeldige opdracht" in starts[str(errors.BadInput.exit_code)]
    assert "import die niets bewaarde" in codes
    assert "geblokkeerd" in codes[codes.index(f"  {errors.CustomerBlocked.exit_code} "):]
    assert "niet toegestaan" in starts[str(errors.NotPermitted.exit_code)]
    assert '"kind": "blocked"' in codes


def test_the_codes_the_help_groups_together_are_the_classes_codes() -> None:
    assert errors.Conflict.exit_code == errors.DatabaseProblem.exit_code == 1
    assert {errors.NotFound.exit_code, errors.ValidationFailed.exit_code, errors.HasDossiers.exit_code,
            errors.DatabaseNotFound.exit_code, errors.BadInput.exit_code} == {2}
    assert errors.TwinBlocked.exit_code == errors.CustomerBlocked.exit_code == 3
    assert errors.NotPermitted.exit_code == 4


def test_every_error_class_has_its_own_stable_kind() -> None:
    classes = [errors.ValidationFailed, errors.NotFound, errors.BadInput, errors.CustomerBlocked, errors.NotPermitted,
               errors.Conflict, errors.HasDossiers, errors.DatabaseProblem, errors.DatabaseNotFound, errors.TwinBlocked]
    kinds = [cls.kind for cls in classes]
    assert len(set(kinds)) == len(kinds) and "error" not in kinds
    assert errors.CustomerBlocked.kind == "blocked" and errors.TwinBlocked.kind == "twin_blocked"


# --- --json refusals -------------------------------------------------------------------------

def test_json_refusal_of_a_dossier_for_a_blocked_customer(shop: str) -> None:
    number = blocked_number(shop)
    done = run_cli("new-dossier", "--customer", str(number), "--description", "Schade", "--json", db=shop, operator="mw")
    refusal(done, 3, "blocked", "is geblokkeerd", "U kunt niet doorgaan met het dossier")
    assert run_cli("dossiers", "--customer", str(number), "--json", db=shop).json() == []


def test_json_refusal_of_a_twin_of_a_blocked_customer(db_path: str) -> None:
    blocked = customers.create({"name": "Wanbetaler NV", "vat_number": "BE0867756456"}, "admin")
    customers.block(blocked["number"], "Wanbetaling", "", None, "admin")
    twin = customers.create({"name": "Filiaal Van Wanbetaler", "vat_number": "BE0867756456"}, "mw")
    done = run_cli("new-dossier", "--customer", str(twin["number"]), "--description", "Schade", "--json", db=db_path)
    refusal(done, 3, "twin_blocked", str(blocked["number"]))


@pytest.mark.parametrize("command, operator, code, kind", [
    (["show", "999999"], "admin", 2, "not_found"),
    (["block", "1001", "--reason", "Wanbetaling"], "mw", 4, "not_allowed"),
    (["block", "1001", "--reason", "Wanbetaling", "--until", "morgen"], "admin", 2, "invalid"),
    (["staff", "add", "nieuw", "--role", "medewerker", "--language", "xx"], "admin", 2, "bad_input"),
    (["show", "1001"], "niemand", 4, "not_allowed"),
])
def test_json_refusals_name_their_kind(shop: str, command: list[str], operator: str, code: int, kind: str) -> None:
    done = run_cli(*command, "--json", db=shop, operator=operator)
    if done.code != code or json.loads(done.out or "{}").get("kind") != kind:
        pytest.fail(f"{command}: {done.code} {done.out!r} {done.err!r}")
    refusal(done, code, kind)


def test_json_refusal_of_a_missing_database(tmp_path: Path) -> None:
    refusal(run_cli("search", "x", "--json", db=str(tmp_path / "typo.db")), 2, "database_not_found", "Database niet gevonden")


def test_json_refusal_of_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(8192))
    refusal(run_cli("search", "x", "--json", db=str(garbage)), 1, "database", "Klantbeheer-database")


@pytest.mark.parametrize("command", [["search", "--json"], ["--json", "zoek", "x"], ["show", "--json", "--limit", "3", "1"],
                                     ["search", "x", "--limit", "veel", "--json"]])
def test_json_refusal_of_a_bad_command_line(shop: str, command: list[str]) -> None:
    refusal(run_cli(*command, db=shop), 2, "command_line", "Ongeldige opdracht")


def test_without_json_a_refusal_leaves_stdout_empty(shop: str) -> None:
    done = run_cli("show", "999999", db=shop)
    assert done.code == 2 and done.out == "" and done.err.count("\n") == 1
    done = run_cli("search", db=shop)
    assert done.code == 2 and done.out == "" and done.err.startswith("Ongeldige opdracht")


def test_a_json_text_after_double_dash_is_no_json_flag(shop: str) -> None:
    done = run_cli("search", "--", "--json", "--limit", "x", db=None)
    assert done.code == 2 and done.out == "", done.out


# --- import exit codes -----------------------------------------------------------------------

HEADER = ["Naam", "BTW-nummer", "E-mail"]


@pytest.mark.parametrize("extra", [[], ["--dry-run"]])
def test_an_import_of_only_invalid_rows_stores_nothing_and_exits_2(db_path: str, tmp_path: Path, extra: list[str]) -> None:
    source = write_csv(tmp_path / "fout.csv", HEADER, [["Fout NV", "BE0000000001", ""], ["Ook Fout", "", "geen-adres"]])
    done = run_cli("import", str(source), *extra, "--json", db=db_path)
    assert done.code == 2, (done.out, done.err)
    assert done.json()["invalid"] == 2 and done.json()["created"] == 0
    assert customers.search_page("Fout", limit=5)["rows"] == []


@pytest.mark.parametrize("extra", [[], ["--dry-run"]])
def test_an_import_that_stores_some_rows_exits_0(db_path: str, tmp_path: Path, extra: list[str]) -> None:
    source = write_csv(tmp_path / "half.csv", HEADER, [["Goed NV", "", ""], ["Fout NV", "BE0000000001", ""]])
    done = run_cli("import", str(source), *extra, "--json", db=db_path)
    assert done.code == 0, (done.out, done.err)
    assert done.json()["created"] == 1 and done.json()["invalid"] == 1


def test_an_import_of_rows_that_are_all_there_already_exits_0(db_path: str, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "goed.csv", ["Nummer", "Naam"], [["5001", "Eerste NV"], ["5002", "Tweede NV"]])
    assert run_cli("import", str(source), db=db_path).code == 0
    again = run_cli("import", str(source), "--json", db=db_path)
    assert again.code == 0 and again.json()["created"] == 0 and again.json()["skipped"] == 2, again.out


# --- known causes: one Dutch sentence, not the driver's English -------------------------------

@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 1 MB tmpfs (root only); skipped where it cannot be mounted."""
    where = tmp_path / "klein"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"no tmpfs to fill: {mounted.stderr.strip()}")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)


def fill(where: Path, leave_kib: int = 0) -> None:
    """Fill the file system at `where`, leaving about `leave_kib` KiB."""
    fd = os.open(where / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        while True:
            stats = os.statvfs(where)
            if stats.f_bavail * stats.f_frsize <= leave_kib * 1024:
                break
            try:
                os.write(fd, b"\0" * 4096)
            except OSError:
                break
    finally:
        os.close(fd)


def known(result: CliResult, *words: str) -> None:
    """Exit 1 and one Dutch sentence with these words; no driver English, no traceback."""
    assert result.code == 1, (result.code, result.err)
    sentence = result.err.strip()
    assert len(sentence.splitlines()) == 1 and "Traceback" not in result.err, result.err
    for word in words:
        assert word in sentence, (word, sentence)
    for english in ("cannot rollback", "disk", "Error", "database or", "Er ging iets mis"):
        assert english not in sentence, sentence


def test_demo_on_a_full_disk_says_the_disk_is_full(tiny_disk: Path) -> None:
    db = str(tiny_disk / "k.db")
    assert run_cli("init", db=db).code == 0
    fill(tiny_disk, leave_kib=150)  # room to start, not to finish
    done = run_cli("demo", db=db)
    known(done, "De schijf is vol")


def test_a_database_on_a_completely_full_disk_says_the_disk_is_full(tiny_disk: Path) -> None:
    db = str(tiny_disk / "k.db")
    assert run_cli("init", db=db).code == 0
    fill(tiny_disk)
    for command in (["search", "x"], ["check"], ["demo"]):
        known(run_cli(*command, db=db), "De schijf is vol")


def test_an_export_to_a_full_disk_says_the_disk_is_full(shop: str, tiny_disk: Path) -> None:
    fill(tiny_disk)
    done = run_cli("export", str(tiny_disk / "klanten.csv"), "--json", db=shop)
    known(done, "De schijf is vol")
    assert json.loads(done.out) == {"error": done.err.strip(), "exit": 1, "kind": "system"}


@pytest.fixture
def read_only_copy(tmp_path: Path, shop: str):
    """The shop's folder bind-mounted read-only (root only); skipped where that cannot be done."""
    source = Path(shop).parent
    view = tmp_path / "alleen-lezen"
    view.mkdir()
    if subprocess.run(["mount", "--bind", str(source), str(view)], capture_output=True).returncode != 0:
        pytest.skip("no bind mount")
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], capture_output=True).returncode != 0:
            pytest.skip("no read-only remount")
        yield view
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)


def test_a_database_on_a_read_only_file_system_is_refused_plainly(read_only_copy: Path, shop: str) -> None:
    before = Path(shop).read_bytes()
    done = run_cli("block", "1001", "--reason", "Wanbetaling", db=str(read_only_copy / Path(shop).name))
    known(done, "alleen-lezen")
    assert Path(shop).read_bytes() == before


def test_an_export_to_a_read_only_file_system_names_the_file(read_only_copy: Path, shop: str) -> None:
    target = read_only_copy / "klanten.csv"
    known(run_cli("export", str(target), db=shop), "alleen-lezen", str(read_only_copy))
    assert not (Path(shop).parent / "klanten.csv").exists()


@pytest.mark.skipif(not DROP_ROOT_POWER and os.geteuid() == 0, reason="root reads any file and setpriv is missing")
def test_an_unreadable_import_file_names_the_file(shop: str, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "geheim.csv", ["Naam"], [["Iemand NV"]])
    source.chmod(0)
    done = subprocess.run([*DROP_ROOT_POWER, *run_cli_command("import", str(source), db=shop)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    sentence = done.stderr.strip()
    assert len(sentence.splitlines()) == 1 and str(source) in sentence and "Permission" not in sentence, sentence


def run_cli_command(*args: str, db: str) -> list[str]:
    """The argv run_cli would run (for a prefix such as setpriv)."""
    import sys

    from tests.support.foundation_helpers import APP

    return [sys.executable, APP, *args, "--db", db, "--operator", "admin"]


def test_a_database_deleted_while_open_is_named_as_gone(db_path: str) -> None:
    customers.create({"name": "Blijft Niet NV"}, "admin")
    database_proxy.obj.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db_path + suffix):
            os.remove(db_path + suffix)
    seen: list[str] = []

    def work() -> None:  # a worker thread, as the TUI's: it opens its own connection to the path
        for call in (lambda: customers.search_page("Blijft"), lambda: staff.login("admin"),
                     lambda: customers.create({"name": "Verloren NV"}, "admin")):
            try:
                call()
                seen.append("no refusal")
            except DatabaseProblem as problem:
                seen.append(problem.message)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    gone = f"De database {db_path} bestaat niet meer (verwijderd of verplaatst); er is niets bewaard."
    assert len(seen) == 3 and all(message.startswith(gone) for message in seen), seen  # data/engines: checked before each unit of work


async def test_an_export_from_the_screen_to_a_full_disk_says_so_and_the_dialog_stays(db_path: str, tiny_disk: Path) -> None:
    from textual.widgets import Input, Static

    from klantbeheer.tui.dialogs.export import ExportDialog
    from tests.support.search_screen_helpers import make_app
    from tests.test_import_tui import from_palette, until

    customers.create({"name": "Eén Klant NV"}, "admin")
    fill(tiny_disk)
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await from_palette(pilot, "Exporteren")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        dialog = app.screen
        dialog.query_one("#export-path", Input).value = str(tiny_disk / "klanten.csv")
        await pilot.press("enter")
        await until(pilot, lambda: "schijf" in str(dialog.query_one("#export-status", Static).render()))
        assert str(dialog.query_one("#export-status", Static).render()) == "De schijf is vol; maak ruimte vrij en probeer het opnieuw."
        assert app.screen is dialog and not dialog.running


@pytest.mark.skipif(not DROP_ROOT_POWER and os.geteuid() == 0, reason="root enters any folder and setpriv is missing")
def test_a_database_in_a_folder_that_cannot_be_entered_is_one_sentence(shop: str, tmp_path: Path) -> None:
    folder = tmp_path / "dicht"
    folder.mkdir()
    db = folder / "k.db"
    shutil.copyfile(shop, db)
    folder.chmod(0)
    try:
        done = subprocess.run([*DROP_ROOT_POWER, *run_cli_command("search", "x", "--json", db=str(db))], capture_output=True,
                              text=True, cwd=Path(__file__).resolve().parent.parent)
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    # the SQLite engine's own path check (data/engines/sqlite.py) answers before the driver is reached
    assert done.stderr.strip().startswith(f"Geen toegang tot {db} (een map op de weg is afgeschermd)"), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert json.loads(done.stdout)["kind"] == "database"


def test_an_unknown_language_is_a_json_refusal_too() -> None:
    refusal(run_cli("--language", "xx", "search", "x", "--json", operator=None), 2, "command_line", "Onbekende taal")
