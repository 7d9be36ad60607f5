"""The support log (issue 24): an unexpected error leaves its traceback in a private, rotating file that the message names,
and never the customer's data. The error is real: a blocked customer whose end date holds text (as another tool wrote it)."""
from __future__ import annotations

import asyncio
import sqlite3
import stat
from pathlib import Path

import pytest

from klantbeheer.data import customers, support_log
from tests.support.foundation_helpers import CliResult, run_cli
from tests.support.waiting import app_until

NAME = "Vandenbroucke Bouwwerken BV"
EMAIL = "zaakvoerder@vandenbroucke-bouw.be"
DESCRIPTION = "Waterschade keuken Vandenbroucke"


@pytest.fixture
def broken(db_path: str) -> int:
    """A blocked customer whose blocked_until column holds its own name instead of a date (written by raw SQL)."""
    made = customers.create({"name": NAME, "email": EMAIL}, "admin")
    customers.block(made["number"], "Wanbetaling", "", None, "admin")
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE customer SET blocked_until = ? WHERE number = ?", (NAME, made["number"]))
    return made["number"]


def log_env(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A fresh log folder for one test, and the environment that points the app at it."""
    folder = tmp_path / "logboek"
    return folder / "support.log", {support_log.LOG_DIR_ENV: str(folder)}


def assert_private(path: Path) -> None:
    """Readable and writable by its owner only."""
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, oct(path.stat().st_mode)


def assert_no_customer_data(text: str) -> None:
    """None of the customer's or the command line's words in the log."""
    for word in ("Vandenbroucke", "vandenbroucke", "zaakvoerder", "Waterschade", "keuken"):
        assert word not in text, word


def one_sentence(result: CliResult) -> str:
    """The single stderr line of a failed command."""
    assert result.code == 1, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    return lines[0]


def test_an_unexpected_error_leaves_its_traceback_in_the_log_and_the_message_names_it(db_path: str, broken: int,
                                                                                       tmp_path: Path) -> None:
    log, env = log_env(tmp_path)
    done = run_cli("new-dossier", "--customer", str(broken), "--description", DESCRIPTION, db=db_path, env=env)
    assert one_sentence(done) == f"Er ging iets mis; de details staan in {log}."
    assert done.out == ""
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last):" in text and "ValueError" in text and "block_active" in text
    assert "command: new-dossier" in text and "version: " in text
    assert_no_customer_data(text)
    assert_private(log)
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    assert run_cli("dossiers", "--customer", str(broken), "--json", db=db_path).json() == []


def test_each_error_is_added_to_the_same_log(db_path: str, broken: int, tmp_path: Path) -> None:
    log, env = log_env(tmp_path)
    for _ in range(2):
        one_sentence(run_cli("show", str(broken), db=db_path, env=env))
    text = log.read_text(encoding="utf-8")
    assert text.count("Traceback (most recent call last):") == 2 and text.count("command: show") == 2


def test_debug_also_prints_the_traceback(db_path: str, broken: int, tmp_path: Path) -> None:
    log, env = log_env(tmp_path)
    done = run_cli("show", str(broken), "--debug", db=db_path, env=env)
    assert done.code == 1
    assert "Traceback (most recent call last):" in done.err and "ValueError" in done.err
    assert done.err.strip().splitlines()[-1] == f"Er ging iets mis; de details staan in {log}."
    assert_no_customer_data(log.read_text(encoding="utf-8"))


def test_json_names_an_unexpected_error_as_such(db_path: str, broken: int, tmp_path: Path) -> None:
    log, env = log_env(tmp_path)
    done = run_cli("show", str(broken), "--json", db=db_path, env=env)
    sentence = one_sentence(done)
    assert done.json() == {"error": sentence, "exit": 1, "kind": "unexpected"}
    assert str(log) in sentence


def test_a_log_that_cannot_be_written_still_gives_one_sentence(db_path: str, broken: int, tmp_path: Path) -> None:
    blocker = tmp_path / "geen-map"
    blocker.write_text("een bestand, geen map")
    done = run_cli("show", str(broken), db=db_path, env={support_log.LOG_DIR_ENV: str(blocker / "logboek")})
    assert one_sentence(done) == "Er ging iets mis (ValueError); ook het logboek kon niet geschreven worden."


def test_a_known_cause_keeps_its_own_sentence_and_the_log_keeps_the_traceback(tmp_path: Path) -> None:
    log, env = log_env(tmp_path)
    garbage = tmp_path / "rommel.db"
    garbage.write_bytes(b"dit is geen database " * 500)
    sentence = one_sentence(run_cli("search", "x", db=str(garbage), env=env))
    assert "Klantbeheer-database" in sentence and "logboek" not in sentence and "details" not in sentence
    text = log.read_text(encoding="utf-8")
    assert "DatabaseError: file is not a database" in text and "command: search" in text


def test_a_refusal_by_a_rule_writes_no_log(tmp_path: Path) -> None:
    log, env = log_env(tmp_path)
    db = str(tmp_path / "k.db")
    assert run_cli("init", db=db, env=env).code == 0
    assert run_cli("show", "424242", db=db, env=env).code == 2
    assert not log.exists()


def test_the_log_rotates_at_one_megabyte_and_keeps_five_old_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log, env = log_env(tmp_path)
    monkeypatch.setenv(support_log.LOG_DIR_ENV, env[support_log.LOG_DIR_ENV])
    support_log.configure("test")
    oldest = log.parent / "support.log.5"
    written = 0
    while not oldest.exists() or written % 3000:  # until five old files exist, then 1-3000 more entries
        try:
            int(NAME)
        except ValueError as problem:
            assert support_log.record(problem) == log
        written += 1
        assert written < 100_000
    files = sorted(log.parent.iterdir())
    assert [path.name for path in files] == ["support.log", *(f"support.log.{n}" for n in range(1, 6))]
    for path in files:
        assert_private(path)
        assert path.stat().st_size <= support_log.MAX_BYTES
        assert_no_customer_data(path.read_text(encoding="utf-8"))


def test_the_scrubbed_message_keeps_the_shape_and_drops_quoted_values() -> None:
    assert support_log.scrub(f"invalid literal for int() with base 10: '{NAME}'") == "invalid literal for int() with base 10: <…>"
    assert support_log.scrub(f'duplicate key value violates unique constraint "x"\nDETAIL:  Key (name)=({NAME}) exists.') \
        == "duplicate key value violates unique constraint <…>"
    assert support_log.scrub(f"mail {EMAIL} refused") == "mail <…> refused"
    assert support_log.scrub("database or disk is full") == "database or disk is full"


def test_an_unexpected_error_in_a_screen_worker_is_logged_and_the_notice_names_the_log(db_path: str, broken: int, tmp_path: Path,
                                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support.apps import make_app

    log, env = log_env(tmp_path)
    monkeypatch.setenv(support_log.LOG_DIR_ENV, env[support_log.LOG_DIR_ENV])
    support_log.configure(None)  # the TUI

    async def run() -> list[str]:
        app = make_app(db_path)
        async with app.run_test(notifications=True) as pilot:
            await pilot.pause()
            app.open_customer(broken)
            await app_until(pilot, lambda: any("details staan in" in n.message for n in app._notifications),
                            what="the notice that names the log")
            return [n.message for n in app._notifications]

    shown = asyncio.run(run())
    assert f"Er ging iets mis; de details staan in {log}." in shown
    text = log.read_text(encoding="utf-8")
    assert "command: tui" in text and "ValueError" in text
    assert_no_customer_data(text)


# --- a crash of the TUI itself, in a real terminal -------------------------------------------

@pytest.fixture
def broken_draft(db_path: str) -> str:
    """A kept draft whose saved_at holds text instead of a moment: the start-up's restore question cannot be asked."""
    from klantbeheer.data import drafts

    drafts.keep("admin", "customer:new", {"values": {"name": NAME, "email": EMAIL}})
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE draft SET saved_at = ?", (NAME,))
    return db_path


def run_tui_until_it_ends(db: str, tmp_path: Path, *extra: str) -> tuple[int, str]:
    """Start the TUI in tmux with stderr to a file; wait until it has ended; its exit code and stderr."""
    import shlex

    from tests.support.terminal import Terminal, app_command

    err = tmp_path / "stderr.txt"
    log, env = log_env(tmp_path)
    line = " ".join(shlex.quote(part) for part in app_command(db, *extra))
    terminal = Terminal(["sh", "-c", f"{line} 2>{shlex.quote(str(err))}; echo EINDE=$?; sleep 120"],
                        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    try:
        screen = terminal.wait_for(r"EINDE=\d+", timeout=60, regex=True)
    finally:
        terminal.close()
    code = int(screen.split("EINDE=")[1].split()[0])
    return code, err.read_text(encoding="utf-8")


def terminal_text(err: str) -> str:
    """What stays on the terminal: stderr after Textual leaves the alternate screen, without control sequences."""
    import re

    err = err.rsplit("\x1b[?1049l", 1)[-1]  # what was drawn on the alternate screen is gone when the app ends
    return re.sub(r"\x1b(\[[0-9;?<>=$]*[A-Za-z~]|\][^\x07\x1b]*(\x07|\x1b\\)|[=>])", "", err).replace("\x07", "")  # and the bell of the crash


def test_a_tui_crash_is_logged_and_names_the_log_without_a_traceback(broken_draft: str, tmp_path: Path) -> None:
    code, err = run_tui_until_it_ends(broken_draft, tmp_path)
    log = tmp_path / "logboek" / "support.log"
    assert code == 1
    assert "Traceback" not in err and "Jansens" not in err, err
    assert terminal_text(err).strip() == f"Er ging iets mis; de details staan in {log}."
    text = log.read_text(encoding="utf-8")
    assert "command: tui (tui crash)" in text and "on_draft_kept" in text and "ValueError" in text
    assert_no_customer_data(text)
    assert_private(log)


def test_a_tui_crash_with_debug_shows_textuals_traceback_too(broken_draft: str, tmp_path: Path) -> None:
    code, err = run_tui_until_it_ends(broken_draft, tmp_path, "--debug")
    assert code == 1
    assert "on_draft_kept" in err and "ValueError" in err, err
    assert err.strip().splitlines()[-1].startswith("Er ging iets mis; de details staan in "), err
