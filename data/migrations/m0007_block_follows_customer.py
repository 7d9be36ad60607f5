"""Version 7: the database itself refuses a dossier for a blocked owner or twin; owner snapshot; UTC; roles.

- `setting` holds the office's time zone (default Europe/Brussels); SQLite, which has no time-zone
  database, also gets `office_clock`: every change of that zone's UTC offset, 1970-2100.
- A trigger refuses inserting (or moving) a dossier to a customer whose block is active on the
  office's date, or who shares a BTW-nummer or IBAN with such a customer.
- `dossier.owner_number` / `owner_name`: the owner as it was when the dossier was opened (filled by
  a trigger when an insert leaves them empty; existing dossiers get today's owner).
- `staff.os_user`: the OS account (SQLite) or database login (PostgreSQL) of an operator.
- Timestamps written so far in office-local time become UTC (history rows excepted: they are append-only;
  `setting.history_utc_from_id` says from which event on they are UTC).
- PostgreSQL: group roles klantbeheer_beheerder / klantbeheer_medewerker with their privileges, and a
  trigger that refuses block, unblock, delete and renumbering to anyone but a beheerder (or the owner).

Frozen: this step carries its own SQL and its own copy of the offset table builder.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from zoneinfo import ZoneInfo

from peewee import Database

ZONE = "Europe/Brussels"

SQLITE_TABLES = [
    "CREATE TABLE IF NOT EXISTS setting (key VARCHAR(40) NOT NULL PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS office_clock (utc_from VARCHAR(19) NOT NULL PRIMARY KEY, offset_minutes INTEGER NOT NULL)",
    "ALTER TABLE staff ADD COLUMN os_user VARCHAR(64) NOT NULL DEFAULT ''",
    "ALTER TABLE dossier ADD COLUMN owner_number INTEGER",
    "ALTER TABLE dossier ADD COLUMN owner_name VARCHAR(120)",
    "CREATE INDEX IF NOT EXISTS customer_iban ON customer (iban)",
    "UPDATE dossier SET owner_number = (SELECT number FROM customer WHERE customer.id = dossier.customer_id), "
    "owner_name = (SELECT name FROM customer WHERE customer.id = dossier.customer_id)",
]
# The office's date: UTC now plus the offset in force (the latest change at or before now).
_SQLITE_TODAY = (
    "date('now', coalesce((SELECT printf('%+d minutes', offset_minutes) FROM office_clock "
    "WHERE utc_from <= strftime('%Y-%m-%d %H:%M:%S', 'now') ORDER BY utc_from DESC LIMIT 1), '+0 minutes'))"
)
_SQLITE_BLOCKED_TWIN = (
    "SELECT b.number FROM customer b, customer o WHERE o.id = new.customer_id AND b.blocked = 1 "
    f"AND (b.blocked_until IS NULL OR b.blocked_until >= {_SQLITE_TODAY}) "
    "AND (b.id = o.id OR (o.vat_number <> '' AND b.vat_number = o.vat_number) OR (o.iban <> '' AND b.iban = o.iban)) "
    "ORDER BY b.id = o.id DESC LIMIT 1"
)
_SQLITE_REFUSE = (
    "BEGIN SELECT RAISE(ABORT, 'Klantbeheer: de klant is geblokkeerd (of deelt BTW-nummer of IBAN met een "
    "geblokkeerde klant); geen nieuw dossier.'); END"
)
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS dossier_owner_not_blocked BEFORE INSERT ON dossier "
    f"WHEN EXISTS ({_SQLITE_BLOCKED_TWIN}) {_SQLITE_REFUSE}",
    f"CREATE TRIGGER IF NOT EXISTS dossier_owner_move_not_blocked BEFORE UPDATE OF customer_id ON dossier "
    f"WHEN new.customer_id <> old.customer_id AND EXISTS ({_SQLITE_BLOCKED_TWIN}) {_SQLITE_REFUSE}",
    "CREATE TRIGGER IF NOT EXISTS dossier_owner_snapshot AFTER INSERT ON dossier WHEN new.owner_number IS NULL "
    "BEGIN UPDATE dossier SET owner_number = (SELECT number FROM customer WHERE id = new.customer_id), "
    "owner_name = (SELECT name FROM customer WHERE id = new.customer_id) WHERE id = new.id; END",
]
# History rows are append-only, so their times stay as written: events before `history_utc_from_id`
# are office-local, and the data layer converts them when it reads them.
STAMPS = [("customer", "created_at"), ("customer", "updated_at"), ("customer", "blocked_at"), ("dossier", "created_at"),
          ("draft", "saved_at")]
HISTORY_MARK = ("INSERT INTO setting (key, value) SELECT 'history_utc_from_id', CAST(coalesce(max(id), 0) + 1 AS TEXT) "
                "FROM customer_event")


def _offsets(zone_name: str) -> list[tuple[str, int]]:
    """Every change of the zone's UTC offset 1970-2100 as (UTC 'YYYY-MM-DD HH:MM:SS', minutes)."""
    tz, utc = ZoneInfo(zone_name), dt.timezone.utc

    def minutes(moment: dt.datetime) -> int:
        return int((moment.astimezone(tz).utcoffset() or dt.timedelta()).total_seconds() // 60)

    day = dt.datetime(1970, 1, 1, tzinfo=utc)
    result = [(day.strftime("%Y-%m-%d %H:%M:%S"), minutes(day))]
    while day.year <= 2100:
        following = day + dt.timedelta(days=1)
        if minutes(following) != result[-1][1]:
            low, high = day, following
            while high - low > dt.timedelta(minutes=1):
                middle = (low + (high - low) / 2).replace(second=0, microsecond=0)
                if middle <= low:
                    break
                low, high = (middle, high) if minutes(middle) == result[-1][1] else (low, middle)
            result.append((high.strftime("%Y-%m-%d %H:%M:%S"), minutes(high)))
        day = following
    return result


def _to_utc(value: str | None) -> str | None:
    """A stored office-local timestamp text as UTC text in the same format."""
    if not value:
        return value
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return value
    utc = moment.replace(tzinfo=ZoneInfo(ZONE)).astimezone(dt.timezone.utc).replace(tzinfo=None)
    return utc.isoformat(" ")


def sqlite(db: Database) -> None:
    """Tables, columns, triggers; timestamps outside the history to UTC."""
    for statement in SQLITE_TABLES:
        db.execute_sql(statement)
    db.execute_sql("INSERT OR IGNORE INTO setting (key, value) VALUES ('time_zone', ?)", (ZONE,))
    db.execute_sql("DELETE FROM office_clock")
    for moment, minutes in _offsets(ZONE):
        db.execute_sql("INSERT INTO office_clock (utc_from, offset_minutes) VALUES (?, ?)", (moment, minutes))
    db.execute_sql(HISTORY_MARK)
    connection: sqlite3.Connection = db.connection()
    connection.create_function("klantbeheer_m6_utc", 1, _to_utc, deterministic=True)
    for table, column in STAMPS:
        db.execute_sql(f"UPDATE {table} SET {column} = klantbeheer_m6_utc({column}) WHERE {column} IS NOT NULL")
    for statement in SQLITE_TRIGGERS:
        db.execute_sql(statement)


POSTGRES_TABLES = [
    "CREATE TABLE IF NOT EXISTS setting (key VARCHAR(40) NOT NULL PRIMARY KEY, value TEXT NOT NULL)",
    f"INSERT INTO setting (key, value) VALUES ('time_zone', '{ZONE}') ON CONFLICT (key) DO NOTHING",
    "ALTER TABLE staff ADD COLUMN os_user VARCHAR(64) NOT NULL DEFAULT ''",
    "ALTER TABLE dossier ADD COLUMN owner_number INTEGER",
    "ALTER TABLE dossier ADD COLUMN owner_name VARCHAR(120)",
    "CREATE INDEX IF NOT EXISTS customer_iban ON customer (iban)",
    "UPDATE dossier d SET owner_number = c.number, owner_name = c.name FROM customer c WHERE c.id = d.customer_id",
    HISTORY_MARK,
    *[f"UPDATE {table} SET {column} = ({column} AT TIME ZONE '{ZONE}') AT TIME ZONE 'UTC' WHERE {column} IS NOT NULL"
      for table, column in STAMPS],
]
POSTGRES_DOSSIER_GUARD = [
    """CREATE OR REPLACE FUNCTION dossier_owner_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    office_today date;
    owner_row customer%%ROWTYPE;
    twin integer;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.customer_id = OLD.customer_id THEN
        RETURN NEW;
    END IF;
    office_today := (now() AT TIME ZONE coalesce((SELECT value FROM setting WHERE key = 'time_zone'), 'Europe/Brussels'))::date;
    SELECT * INTO owner_row FROM customer WHERE id = NEW.customer_id;
    IF NOT FOUND THEN
        RETURN NEW;  -- the foreign key refuses it
    END IF;
    SELECT b.number INTO twin FROM customer b
     WHERE b.blocked AND (b.blocked_until IS NULL OR b.blocked_until >= office_today)
       AND (b.id = owner_row.id OR (owner_row.vat_number <> '' AND b.vat_number = owner_row.vat_number)
            OR (owner_row.iban <> '' AND b.iban = owner_row.iban))
     ORDER BY b.id = owner_row.id DESC LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'Klantbeheer: klant %% is geblokkeerd (of deelt BTW-nummer of IBAN met een geblokkeerde klant); geen nieuw dossier.', twin
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'INSERT' AND NEW.owner_number IS NULL THEN
        NEW.owner_number := owner_row.number;
        NEW.owner_name := owner_row.name;
    END IF;
    RETURN NEW;
END $$""",
    "CREATE TRIGGER dossier_owner_not_blocked BEFORE INSERT OR UPDATE OF customer_id ON dossier "
    "FOR EACH ROW EXECUTE FUNCTION dossier_owner_guard()",
]
POSTGRES_ROLE_GUARD = [
    """CREATE OR REPLACE FUNCTION customer_role_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    staff_role text;
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
       OR pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN coalesce(NEW, OLD);
    END IF;
    SELECT role INTO staff_role FROM staff
     WHERE active AND (CASE WHEN os_user <> '' THEN os_user ELSE username END) = session_user;
    IF staff_role = 'beheerder' THEN
        RETURN coalesce(NEW, OLD);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Klantbeheer: alleen een beheerder mag een klant verwijderen.' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.blocked AND (TG_OP = 'INSERT' OR NOT OLD.blocked) OR TG_OP = 'UPDATE' AND (
        NEW.blocked IS DISTINCT FROM OLD.blocked OR NEW.block_reason IS DISTINCT FROM OLD.block_reason
        OR NEW.block_message IS DISTINCT FROM OLD.block_message OR NEW.blocked_until IS DISTINCT FROM OLD.blocked_until
        OR NEW.blocked_at IS DISTINCT FROM OLD.blocked_at OR NEW.blocked_by IS DISTINCT FROM OLD.blocked_by) THEN
        RAISE EXCEPTION 'Klantbeheer: alleen een beheerder mag een klant blokkeren of deblokkeren.' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.number IS DISTINCT FROM OLD.number THEN
        RAISE EXCEPTION 'Klantbeheer: alleen een beheerder mag een klantnummer wijzigen.' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$""",
    "CREATE TRIGGER customer_role_guard BEFORE INSERT OR UPDATE OR DELETE ON customer "
    "FOR EACH ROW EXECUTE FUNCTION customer_role_guard()",
]
# Columns a medewerker may update: everything but the number and the block (the trigger checks those too).
MEDEWERKER_COLUMNS = (
    "name, external_ref, email, language, repairer_id, address, address2, postcode, city, province, country, "
    "certificate_number, vat_number, vat_rate, payment_term_days, payment_condition, discount_scheme, price_list, "
    "internal_account, phone, fax, mobile, customer_type, legal_form, salutation, contact, remarks, show_remarks, "
    "show_id_card, iban, bic, version, updated_at, updated_by, name_norm, search_text"
)
POSTGRES_GRANTS = f"""DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantbeheer_medewerker') THEN
        BEGIN
            CREATE ROLE klantbeheer_medewerker NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;  -- another database's migration made it
        END;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantbeheer_beheerder') THEN
        BEGIN
            CREATE ROLE klantbeheer_beheerder NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
    EXECUTE 'GRANT SELECT ON schema_info, reference_item, staff, repairer, customer, customer_event, dossier, setting '
            'TO klantbeheer_medewerker, klantbeheer_beheerder';
    EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON draft TO klantbeheer_medewerker, klantbeheer_beheerder';
    EXECUTE 'GRANT INSERT ON customer, customer_event, dossier TO klantbeheer_medewerker';
    EXECUTE 'GRANT UPDATE ({MEDEWERKER_COLUMNS}) ON customer TO klantbeheer_medewerker';
    EXECUTE 'GRANT INSERT, UPDATE, DELETE ON customer, dossier, staff, repairer TO klantbeheer_beheerder';
    EXECUTE 'GRANT INSERT ON customer_event TO klantbeheer_beheerder';
    EXECUTE 'GRANT USAGE, SELECT ON SEQUENCE customer_id_seq, customer_event_id_seq, dossier_id_seq, draft_id_seq '
            'TO klantbeheer_medewerker, klantbeheer_beheerder';
    EXECUTE 'GRANT USAGE, SELECT ON SEQUENCE staff_id_seq, repairer_id_seq TO klantbeheer_beheerder';
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Klantbeheer: geen rechten om de groepsrollen aan te maken; zie README (PostgreSQL, rollen).';
END $$"""


def postgresql(db: Database) -> None:
    """Tables, columns, UTC timestamps, the dossier guard, the role guard and the group roles' privileges."""
    for statement in [*POSTGRES_TABLES, *POSTGRES_DOSSIER_GUARD, *POSTGRES_ROLE_GUARD, POSTGRES_GRANTS]:
        db.execute_sql(statement)
