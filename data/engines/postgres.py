"""The PostgreSQL engine: pooled connections, row and advisory locks, pg_trgm search, LISTEN watcher, COPY."""
from __future__ import annotations

import contextlib
import io
import zlib
from typing import Any, Iterator

from peewee import ModelSelect

from klantbeheer.data.engines.base import ChangeWatcher, Engine
from klantbeheer.data.engines.postgres_watch import PollingChangeWatcher, PostgresChangeWatcher
from klantbeheer.data.errors import DatabaseProblem
from klantbeheer.data.i18n import N_, _
from klantbeheer.data.search import postgres as search_postgres
from klantbeheer.data.session import connection
from klantbeheer.data.trust import Identity

DRIVER_MISSING = N_("Het PostgreSQL-stuurprogramma (psycopg2) is niet geïnstalleerd. "
                    "Installeer het met: pip install 'klantbeheer[postgres]' (of pip install psycopg2-binary).")
MIN_SERVER_VERSION = 130000  # PostgreSQL 13: every statement the migrations run works from 13 on
REFUSAL_CODES = ("KB001", "KB002")  # the dossier guard's SQLSTATEs: the owner is blocked / shares BTW or IBAN with one
POOL_SIZE = 32  # connections one process keeps for its threads (the app runs up to 6 workers)


def version_problem(version_num: int) -> str | None:
    """A Dutch sentence refusing a server older than PostgreSQL 13, or None."""
    if version_num >= MIN_SERVER_VERSION:
        return None
    major = version_num // 10000 if version_num >= 100000 else f"{version_num // 10000}.{version_num // 100 % 100}"
    return _("De PostgreSQL-server heeft versie {major}; Klantbeheer heeft PostgreSQL 13 of nieuwer nodig. "
             "Werk de server bij.").format(major=major)


class PostgresEngine(Engine):
    """A PostgreSQL database on a server, shared by sessions on many hosts."""

    name = "postgresql"
    search = search_postgres

    @classmethod
    def build(cls, url: str) -> "PostgresEngine":
        """An engine on a postgresql:// URL (not connected yet); connections are pooled per process."""
        from playhouse.db_url import parse  # only for PostgreSQL: start-up time
        from playhouse.pool import PooledPostgresqlDatabase

        try:
            import psycopg2  # noqa: F401  (peewee would only say "psycopg2 postgres driver not found")
        except ImportError:
            raise DatabaseProblem(_(DRIVER_MISSING)) from None

        params = parse(url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url)
        name = params.pop("database")
        # peewee 4 runs psycopg2 in autocommit mode: no aborted transactions left behind
        db = PooledPostgresqlDatabase(name, max_connections=POOL_SIZE, stale_timeout=300, timeout=10, **params)
        return cls(db, url)

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        """psycopg2's errors, and the pool's "all connections in use"."""
        import psycopg2
        from playhouse.pool import MaxConnectionsExceeded

        return (psycopg2.Error, MaxConnectionsExceeded)

    def refusal(self, problem: BaseException) -> tuple[int, int, str] | None:
        """(owner, blocked customer, shared field) of a dossier the guard trigger refused (SQLSTATE KB001/KB002)."""
        if getattr(problem, "pgcode", None) not in REFUSAL_CODES:
            wrapped = problem.__cause__ or problem.__context__  # peewee re-raises the driver's error as its own
            return self.refusal(wrapped) if wrapped is not None else None
        detail = getattr(getattr(problem, "diag", None), "message_detail", None) or ""
        owner, _sep, rest = detail.partition(":")
        blocked, _sep, field = rest.partition(":")
        if not (owner.isdigit() and blocked.isdigit()):
            return None
        return int(owner), int(blocked), field

    def dispose(self) -> None:
        """Close the pool's idle connections."""
        self.db.close_idle()

    def prepare(self) -> None:
        """Refuse a server older than PostgreSQL 13."""
        version = int(self.db.execute_sql("SHOW server_version_num").fetchone()[0])
        problem = version_problem(version)
        if problem:
            raise DatabaseProblem(problem)

    def identity(self) -> Identity:
        """The database login (session_user); trusted when superuser or a member of the schema owner's role."""
        name, trusted = self.db.execute_sql(
            "SELECT session_user, r.rolsuper OR pg_has_role(session_user, c.relowner, 'MEMBER') "
            "FROM pg_catalog.pg_roles r, pg_catalog.pg_class c "
            "WHERE r.rolname = session_user AND c.oid = 'public.customer'::pg_catalog.regclass"
        ).fetchone()
        return Identity(str(name), bool(trusted), N_("databasegebruiker"))

    def create_login(self, login: str, role: str) -> None:
        """A LOGIN role named login (if missing) in group role klantbeheer_<role> only; needs CREATEROLE."""
        other = "medewerker" if role == "beheerder" else "beheerder"
        quoted = '"' + login.replace('"', '""') + '"'
        literal = "'" + login.replace("'", "''") + "'"
        self.db.execute_sql(
            f"DO $$ BEGIN "
            f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {literal}) THEN "
            f"BEGIN CREATE ROLE {quoted} LOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END; END IF; "
            f"IF NOT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
            f"WHERE g.rolname = 'klantbeheer_{role}' AND u.rolname = {literal}) THEN GRANT klantbeheer_{role} TO {quoted}; END IF; "
            f"IF EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
            f"WHERE g.rolname = 'klantbeheer_{other}' AND u.rolname = {literal}) THEN REVOKE klantbeheer_{other} FROM {quoted}; END IF; "
            f"END $$")

    def store_password_hash(self, username: str, hashed: str, by: str) -> bool:
        """Through klantbeheer_set_password (migration 14): the hash table is the owner's alone, the function checks the rule."""
        self.db.execute_sql("SELECT public.klantbeheer_set_password(%s, %s, %s)", (username, hashed, by))
        return True

    def set_login_active(self, login: str, active: bool) -> None:
        """ALTER ROLE ... LOGIN / NOLOGIN for a role Klantbeheer made (a missing role or a superuser is left alone)."""
        quoted = '"' + login.replace('"', '""') + '"'
        literal = "'" + login.replace("'", "''") + "'"
        self.db.execute_sql(
            f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {literal} AND NOT rolsuper) THEN "
            f"ALTER ROLE {quoted} {'LOGIN' if active else 'NOLOGIN'}; END IF; END $$")

    def for_update(self, query: ModelSelect) -> ModelSelect:
        """Lock the rows read until the transaction ends."""
        return query.for_update()

    def serialize(self, name: str) -> None:
        """A transaction-scoped advisory lock named by a hash of `name`."""
        key = zlib.crc32(name.encode()) & 0x7FFFFFFF
        self.db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (key,))

    @contextlib.contextmanager
    def read_snapshot(self) -> Iterator[None]:
        """A REPEATABLE READ, READ ONLY transaction: one snapshot, writers go on."""
        with self.db.atomic():
            self.db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield

    def json_object_sql(self, pairs: str) -> str:
        """PostgreSQL's json_build_object(), as text."""
        return f"json_build_object({pairs})::text"

    @contextlib.contextmanager
    def bulk_load(self, drop_indexes: bool) -> Iterator[dict[str, Any]]:
        """One transaction, the vocabulary trigger off during it; the planner's statistics refreshed after it."""
        load: dict[str, Any] = {"words": None}
        with self.db.atomic():
            search_postgres.drop_triggers(self.db)
            yield load
            search_postgres.install(self.db, load["words"])

    def copy_rows(self, table: str, columns: list[str], rows: list[str]) -> None:
        """COPY rows (lines in COPY's text format) into a table."""
        buffer = io.StringIO("".join(rows))
        # Copied dossiers of customers blocked later are history, not new dossiers: the guard waits outside
        guarded = table == "dossier"
        if guarded:
            self.db.execute_sql("ALTER TABLE dossier DISABLE TRIGGER dossier_owner_not_blocked")
        self.db.cursor().copy_expert(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN', buffer)
        if guarded:
            self.db.execute_sql("ALTER TABLE dossier ENABLE TRIGGER dossier_owner_not_blocked")

    def reset_sequence(self, table: str) -> None:
        """Set the table's id sequence past its highest id."""
        self.db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))")

    def analyze(self) -> None:
        """Refresh the planner's statistics of every table."""
        self.db.execute_sql("ANALYZE")

    def triggers(self) -> dict[str, Any]:
        """The triggers on this schema's tables: definition, function, function body, and whether switched on."""
        from klantbeheer.data.triggers import Found

        rows = self.db.execute_sql(
            "SELECT t.tgname, pg_get_triggerdef(t.oid), p.proname, p.prosrc, t.tgenabled <> 'D' FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
        ).fetchall()
        return {name: Found(sql, function, body or "", bool(enabled)) for name, sql, function, body, enabled in rows}

    def backup(self, target: str) -> None:
        """Refused: PostgreSQL has its own tools."""
        raise DatabaseProblem(_("Een reservekopie via Klantbeheer kan alleen van SQLite; gebruik pg_dump voor PostgreSQL."))

    def open_watcher(self) -> ChangeWatcher:
        """LISTEN on its own connection; when that fails, poll the highest history id (with a quiet notice)."""
        import psycopg2

        try:
            return PostgresChangeWatcher(self.db.database, self.db.connect_params)
        except psycopg2.Error:
            return PollingChangeWatcher(self._latest_event)

    def _latest_event(self) -> int:
        """The highest history ids added up (every change to a customer or a reference list appends an event)."""
        with connection() as db:
            return int(db.execute_sql("SELECT (SELECT coalesce(max(id), 0) FROM customer_event) "
                                      "+ (SELECT coalesce(max(id), 0) FROM reference_event)").fetchone()[0])
