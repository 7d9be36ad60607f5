"""A fresh PostgreSQL database per test on the local server (127.0.0.1:5432), dropped afterwards."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

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
    name = f"kb_test_{uuid.uuid4().hex[:12]}"
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
