"""A fresh PostgreSQL database per test on the local server (127.0.0.1:5432), dropped afterwards."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.workers import unique_name

PG_SERVER = os.environ.get("KLANTBEHEER_TEST_PG", "postgresql://postgres@127.0.0.1:5432")


def _admin():
    """An autocommit connection to the server's maintenance database."""
    import psycopg2

    conn = psycopg2.connect(PG_SERVER + "/postgres")
    conn.autocommit = True
    return conn


@contextmanager
def fresh_database() -> Iterator[str]:
    """Create an empty database, yield its URL, drop it (ending leftover sessions) afterwards."""
    name = unique_name("kb_test")
    conn = _admin()
    try:
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        yield f"{PG_SERVER}/{name}"
    finally:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.close()


@contextmanager
def medewerker_login(prefix: str) -> Iterator[tuple[str, str]]:
    """A fresh database with medewerker login `prefix_xxxxxxxx` (made by staff add): yield (admin URL, login URL).

    Login roles are server-wide, so the name is one no other test uses, and the role is dropped afterwards.
    """
    from urllib.parse import urlsplit, urlunsplit

    from klantbeheer.data import staff
    from klantbeheer.data.db import open_database
    from klantbeheer.data.models import database_proxy

    login = unique_name(prefix)
    try:
        with fresh_database() as url:
            open_database(url, create=True)
            staff.login("admin")
            staff.add(login, "Mia", "medewerker", "admin")
            database_proxy.obj.close()
            parts = urlsplit(url)
            yield url, urlunsplit(parts._replace(netloc=f"{login}@{parts.hostname}:{parts.port or 5432}"))
    finally:
        conn = _admin()
        with conn.cursor() as cur:
            cur.execute(f'DROP ROLE IF EXISTS "{login}"')
        conn.close()
