"""Issue 16: no one acts as someone else. Real OS users on SQLite; real login roles on PostgreSQL."""
from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from klantbeheer.data import customers, staff
from klantbeheer.data.db import open_database
from klantbeheer.data.errors import DatabaseProblem, NotPermitted
from klantbeheer.data.models import database_proxy
from tests.support.foundation_helpers import run_cli
from tests.support.pg_support import PG_SERVER, _admin, fresh_database
from tests.support.trust_helpers import ensure_users, run_as, share

REFUSED = "U bent aangemeld als systeemgebruiker 'kb16_anna' en kunt niet werken als 'bert'"


@pytest.fixture
def shared_db() -> Iterator[str]:
    """A database both OS users can write: kb16_anna medewerker, 'bert' (OS account kb16_bert) beheerder, 123 blocked."""
    ensure_users()
    directory = Path(tempfile.mkdtemp(prefix="kb16-", dir="/tmp"))
    db = str(directory / "klantbeheer.db")
    try:
        assert run_cli("init", db=db, operator="admin").code == 0
        assert run_cli("staff", "add", "kb16_anna", "--role", "medewerker", db=db).code == 0
        assert run_cli("staff", "add", "bert", "--role", "beheerder", "--os-user", "kb16_bert", db=db).code == 0
        open_database(db)
        customers.create({"name": "ABC", "number": 123}, "admin")
        customers.create({"name": "Vrij NV", "number": 124}, "admin")
        customers.block(123, "wanbetaling", operator="admin")
        database_proxy.obj.close()
        share(directory)
        yield db
    finally:
        for entry in directory.iterdir():
            entry.unlink()
        directory.rmdir()


def test_the_os_user_is_the_operator_and_cannot_name_another(shared_db: str) -> None:
    own = run_as("kb16_anna", "new-dossier", "--customer", "124", "--description", "Eigen", "--json", "--db", shared_db)
    assert own.returncode == 0, own.stderr
    assert '"created_by": "kb16_anna"' in own.stdout
    spoofed = run_as("kb16_anna", "--db", shared_db, "--operator", "bert", "unblock", "123")
    assert spoofed.returncode == NotPermitted.exit_code and REFUSED in spoofed.stderr
    named_self = run_as("kb16_anna", "--db", shared_db, "--operator", "kb16_anna", "show", "123")
    assert named_self.returncode == 0 and "Geblokkeerd" in named_self.stdout
    assert run_cli("show", "123", "--json", db=shared_db).json()["blocked"] is True


def test_user_and_logname_do_not_change_who_you_are(shared_db: str) -> None:
    spoofed = run_as("kb16_anna", "--db", shared_db, "unblock", "123", env={"USER": "kb16_bert", "LOGNAME": "kb16_bert"})
    assert spoofed.returncode == NotPermitted.exit_code and "Alleen een beheerder" in spoofed.stderr
    assert run_as("kb16_bert", "--db", shared_db, "unblock", "123").returncode == 0


def test_a_trusted_launcher_may_name_the_operator_only_with_a_safe_launchers_file(shared_db: str, tmp_path: Path) -> None:
    launchers = Path(f"{shared_db}.launchers")  # its one place: beside the database (issue 25)
    try:
        launchers.write_text("# SSH-account met forced command\nkb16_anna\n")
        launchers.chmod(0o666)  # anyone could add themselves: ignored
        loose = run_as("kb16_anna", "--db", shared_db, "--operator", "bert", "show", "123")
        assert loose.returncode == NotPermitted.exit_code and REFUSED in loose.stderr
        launchers.chmod(0o644)
        os.chown(launchers, _uid("kb16_anna"), -1)  # owned by the launcher itself, not root nor the database owner
        own = run_as("kb16_anna", "--db", shared_db, "--operator", "bert", "show", "123")
        assert own.returncode == NotPermitted.exit_code
        os.chown(launchers, 0, -1)
        trusted = run_as("kb16_anna", "--db", shared_db, "--operator", "bert", "unblock", "123")
        assert trusted.returncode == 0, trusted.stderr
        assert run_cli("show", "123", "--json", db=shared_db).json()["blocked"] is False
    finally:
        launchers.unlink(missing_ok=True)


def test_an_operator_is_mapped_to_one_os_account(shared_db: str) -> None:
    taken = run_cli("staff", "add", "anneke", "--role", "medewerker", "--os-user", "kb16_anna", db=shared_db)
    assert taken.code == 2 and "hoort al bij een andere gebruiker" in taken.err
    assert run_cli("staff", "add", "anna", "--role", "beheerder", "--os-user", "kb16_elders", db=shared_db).code == 0
    refused = run_as("kb16_anna", "--db", shared_db, "--operator", "anna", "unblock", "123")  # same name, other account
    assert refused.returncode == NotPermitted.exit_code
    listed = run_cli("staff", "list", "--json", db=shared_db).json()
    assert {p["username"]: p["os_user"] for p in listed}["bert"] == "kb16_bert"


def _uid(user: str) -> int:
    """The uid of an OS user."""
    import pwd

    return pwd.getpwnam(user).pw_uid


# --- PostgreSQL ----------------------------------------------------------------------------------

@pytest.fixture
def pg_roles() -> Iterator[tuple[str, str, str]]:
    """A fresh database with a blocked 123, and two login roles made by `staff add`: (url, medewerker, beheerder)."""
    suffix = uuid.uuid4().hex[:8]
    medewerker, beheerder = f"kb16_mw_{suffix}", f"kb16_bh_{suffix}"
    try:
        with fresh_database() as url:
            open_database(url, create=True)
            staff.login("admin")
            staff.add(medewerker, "Mia", "medewerker", "admin")
            staff.add(beheerder, "Bart", "beheerder", "admin")
            customers.create({"name": "ABC", "number": 123}, "admin")
            customers.block(123, "wanbetaling", operator="admin")
            database_proxy.obj.close_all()
            yield url, medewerker, beheerder
            database_proxy.obj.close_all()
    finally:
        conn = _admin()
        with conn.cursor() as cursor:
            for role in (medewerker, beheerder):
                cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        conn.close()


def as_login(url: str, login: str) -> str:
    """The URL with another user name."""
    return url.replace(PG_SERVER, PG_SERVER.replace("postgres@", f"{login}@"), 1)


def test_a_medewerker_role_cannot_block_unblock_delete_or_renumber_in_the_database(pg_roles: tuple[str, str, str]) -> None:
    url, medewerker, _ = pg_roles
    conn = psycopg2.connect(as_login(url, medewerker))
    try:
        for statement in ("UPDATE customer SET blocked = true WHERE number = 123",
                          "UPDATE customer SET blocked = false WHERE number = 123",
                          "UPDATE customer SET number = 999 WHERE number = 123",
                          "DELETE FROM customer WHERE number = 123",
                          "INSERT INTO customer (number, name, blocked) VALUES (5, 'X', true)",
                          "UPDATE staff SET role = 'beheerder'"):
            with pytest.raises(psycopg2.Error, match="permission denied|alleen een beheerder"):
                with conn, conn.cursor() as cursor:
                    cursor.execute(statement)
        with conn, conn.cursor() as cursor:  # ordinary edits are allowed
            cursor.execute("UPDATE customer SET email = 'info@abc.be' WHERE number = 123")
            cursor.execute("SELECT blocked, number, email FROM customer")
            assert cursor.fetchall() == [(True, 123, "info@abc.be")]
    finally:
        conn.close()


def test_on_postgresql_the_login_is_the_operator_and_operator_cannot_raise_it(pg_roles: tuple[str, str, str]) -> None:
    url, medewerker, beheerder = pg_roles
    as_mw = as_login(url, medewerker)
    spoofed = run_cli("unblock", "123", db=as_mw, operator="admin")
    assert spoofed.code == NotPermitted.exit_code
    assert f"U bent aangemeld als databasegebruiker '{medewerker}' en kunt niet werken als 'admin'" in spoofed.err
    own = run_cli("show", "123", "--json", db=as_mw, operator=None)
    assert own.code == 0 and own.json()["blocked"] is True
    assert run_cli("unblock", "123", db=as_mw, operator=None).code == NotPermitted.exit_code
    assert run_cli("unblock", "123", db=as_login(url, beheerder), operator=None).code == 0


def test_even_code_that_skips_the_login_check_is_stopped_by_the_server(pg_roles: tuple[str, str, str]) -> None:
    url, medewerker, _ = pg_roles
    open_database(as_login(url, medewerker))
    try:
        with pytest.raises(DatabaseProblem, match="rechten|beheerder"):
            customers.unblock(123, operator="admin")  # the Python role check believes 'admin'; the database does not
        assert customers.get(123)["blocked"] is True
    finally:
        database_proxy.obj.close_all()


def test_a_deactivated_operator_can_no_longer_log_in_to_postgresql(pg_roles: tuple[str, str, str]) -> None:
    url, medewerker, _ = pg_roles
    assert run_cli("staff", "deactivate", medewerker, db=url).code == 0
    with pytest.raises(psycopg2.OperationalError, match="not permitted to log in"):
        psycopg2.connect(as_login(url, medewerker)).close()
    assert run_cli("staff", "activate", medewerker, db=url).code == 0
    psycopg2.connect(as_login(url, medewerker)).close()
