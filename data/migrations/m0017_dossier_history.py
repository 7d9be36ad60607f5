"""Version 17: a dossier's own history, its version, and no change to a dossier of a blocked customer (issue 30).

- `dossier.version`: the optimistic lock of a dossier edit (as `customer.version`).
- `dossier_event`: the append-only history of a dossier (created, updated, closed, reopened); every dossier already
  there gets its "created" event, by its creator at its creation time.
- A trigger refuses an UPDATE of a dossier's description, reference, plate, status or version while its owner's
  block is active on the office's date, or while the owner shares a BTW-nummer or IBAN with such a customer: the
  dossier is read-only (data/dossier_changes.py says the same in Python). On PostgreSQL the refusal carries
  SQLSTATE KB001 / KB002 with DETAIL "owner:blocked:field", as the dossier guard of version 15 does.
- PostgreSQL: a medewerker may update those columns of a dossier and append to its history.

Frozen: this step carries its own SQL.
"""
from __future__ import annotations

from peewee import Database

GUARDED = "description, reference, licence_plate, status, version"

_SQLITE_TODAY = (
    "date('now', coalesce((SELECT printf('%+d minutes', offset_minutes) FROM office_clock "
    "WHERE utc_from <= strftime('%Y-%m-%d %H:%M:%S', 'now') ORDER BY utc_from DESC LIMIT 1), '+0 minutes'))"
)
_SQLITE_BLOCKED = (
    "SELECT b.number FROM customer b, customer o WHERE o.id = old.customer_id AND b.blocked = 1 "
    f"AND (b.blocked_until IS NULL OR b.blocked_until >= {_SQLITE_TODAY}) "
    "AND (b.id = o.id OR (o.vat_number <> '' AND b.vat_number = o.vat_number) OR (o.iban <> '' AND b.iban = o.iban))"
)
_APPEND_ONLY = "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END"
EVENT_COLUMNS = ("dossier_id INTEGER NOT NULL REFERENCES dossier (id) ON DELETE RESTRICT, kind VARCHAR(20) NOT NULL, "
                 "changes TEXT NOT NULL DEFAULT '', operator VARCHAR(64) NOT NULL")
BACKFILL = ("INSERT INTO dossier_event (dossier_id, kind, changes, operator, at) "
            "SELECT id, 'created', '{}', created_by, created_at FROM dossier ORDER BY id")

SQLITE = [
    "ALTER TABLE dossier ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    f"CREATE TABLE IF NOT EXISTS dossier_event (id INTEGER NOT NULL PRIMARY KEY, {EVENT_COLUMNS}, at DATETIME NOT NULL)",
    "CREATE INDEX IF NOT EXISTS dossier_event_dossier_id ON dossier_event (dossier_id)",
    BACKFILL,
]
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS dossier_event_no_update BEFORE UPDATE ON dossier_event {_APPEND_ONLY}",
    f"CREATE TRIGGER IF NOT EXISTS dossier_event_no_delete BEFORE DELETE ON dossier_event {_APPEND_ONLY}",
    f"CREATE TRIGGER IF NOT EXISTS dossier_owner_blocked_read_only BEFORE UPDATE OF {GUARDED} ON dossier "
    f"WHEN EXISTS ({_SQLITE_BLOCKED}) "
    "BEGIN SELECT RAISE(ABORT, 'Klantbeheer: de klant van dit dossier is geblokkeerd (of deelt BTW-nummer of IBAN "
    "met een geblokkeerde klant); het dossier is alleen-lezen.'); END",
]

PATH = "SET search_path = pg_catalog, public, pg_temp"
POSTGRES = [
    "ALTER TABLE public.dossier ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    f"CREATE TABLE IF NOT EXISTS public.dossier_event (id SERIAL NOT NULL PRIMARY KEY, "
    f"{EVENT_COLUMNS.replace('REFERENCES dossier', 'REFERENCES public.dossier')}, at TIMESTAMP NOT NULL)",
    "CREATE INDEX IF NOT EXISTS dossier_event_dossier_id ON public.dossier_event (dossier_id)",
    BACKFILL.replace("dossier_event", "public.dossier_event").replace("FROM dossier", "FROM public.dossier"),
]
FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION public.dossier_block_guard() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
DECLARE
    office_today date;
    owner_row public.customer%ROWTYPE;
    twin public.customer%ROWTYPE;
BEGIN
    -- the owner as committed now, kept from changing until this transaction ends
    SELECT * INTO owner_row FROM public.customer WHERE id = OLD.customer_id FOR SHARE;
    IF NOT FOUND THEN
        RETURN NEW;
    END IF;
    -- the lock a block of this BTW/IBAN group takes too: a block committed before is seen below
    PERFORM public.klantbeheer_twin_lock(owner_row.vat_number, owner_row.iban);
    office_today := (now() AT TIME ZONE coalesce((SELECT s.value FROM public.setting s WHERE s.key = 'time_zone'),
                                                 'Europe/Brussels'))::date;
    SELECT b.* INTO twin FROM public.customer b
     WHERE b.blocked AND (b.blocked_until IS NULL OR b.blocked_until >= office_today)
       AND (b.id = owner_row.id OR (owner_row.vat_number <> '' AND b.vat_number = owner_row.vat_number)
            OR (owner_row.iban <> '' AND b.iban = owner_row.iban))
     ORDER BY b.id = owner_row.id DESC, (owner_row.vat_number <> '' AND b.vat_number = owner_row.vat_number) DESC,
              b.number LIMIT 1;
    IF FOUND THEN
        IF twin.id = owner_row.id THEN
            RAISE EXCEPTION 'Klantbeheer: klant % is geblokkeerd; het dossier is alleen-lezen.', twin.number
                USING ERRCODE = 'KB001', DETAIL = owner_row.number || ':' || twin.number || ':';
        END IF;
        RAISE EXCEPTION 'Klantbeheer: klant % deelt BTW-nummer of IBAN met geblokkeerde klant %; het dossier is alleen-lezen.',
            owner_row.number, twin.number
            USING ERRCODE = 'KB002', DETAIL = owner_row.number || ':' || twin.number || ':'
                || CASE WHEN owner_row.vat_number <> '' AND twin.vat_number = owner_row.vat_number THEN 'vat_number' ELSE 'iban' END;
    END IF;
    RETURN NEW;
END $$""",
]
TRIGGERS = [
    "CREATE TRIGGER dossier_event_no_change BEFORE UPDATE OR DELETE ON public.dossier_event "
    "FOR EACH ROW EXECUTE FUNCTION public.customer_event_append_only()",
    "CREATE TRIGGER dossier_event_no_truncate BEFORE TRUNCATE ON public.dossier_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION public.customer_event_append_only()",
    "DROP TRIGGER IF EXISTS dossier_owner_blocked_read_only ON public.dossier",
    f"CREATE TRIGGER dossier_owner_blocked_read_only BEFORE UPDATE OF {GUARDED} ON public.dossier "
    "FOR EACH ROW EXECUTE FUNCTION public.dossier_block_guard()",
]
POSTGRES_GRANTS = f"""DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'klantbeheer_medewerker')
       AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'klantbeheer_beheerder') THEN
        EXECUTE 'GRANT UPDATE ({GUARDED}) ON public.dossier TO klantbeheer_medewerker';
        EXECUTE 'GRANT SELECT, INSERT ON public.dossier_event TO klantbeheer_medewerker, klantbeheer_beheerder';
        EXECUTE 'GRANT USAGE, SELECT ON SEQUENCE public.dossier_event_id_seq TO klantbeheer_medewerker, klantbeheer_beheerder';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Klantbeheer: geen rechten om de groepsrollen rechten te geven; zie README (PostgreSQL, rollen).';
END $$"""


def sqlite(db: Database) -> None:
    """The version column, the dossier history (with every dossier's created event) and its guards."""
    for statement in [*SQLITE, *SQLITE_TRIGGERS]:
        db.execute_sql(statement)


def postgresql(db: Database) -> None:
    """The version column, the dossier history, the read-only guard and the medewerker's privileges."""
    for statement in [*POSTGRES, *FUNCTIONS, *TRIGGERS, POSTGRES_GRANTS]:
        db.execute_sql(statement.replace("%", "%%"))  # the driver formats even without parameters
