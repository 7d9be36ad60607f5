"""Version 8: reference lists the office manages itself (issue 19).

- `reference_item`: French and English labels (NULL = the Dutch one) and an `active` flag.
- `repairer` (the hersteller list): a code, active flag, sort order and contact fields; existing
  herstellers get their id as code and their place by name.
- `reference_event`: the append-only history of every list change (who, when, old and new).
- Stored customer choices that hold a label instead of a code become the code.
- PostgreSQL: only klantbeheer_beheerder may write the lists; a change of a list notifies the
  live-refresh channel as a change of a customer does.

Frozen: this step carries its own SQL.
"""
from __future__ import annotations

from peewee import Database

# (customer column, reference kind) of the choices stored as codes.
CHOICE_COLUMNS = [
    ("language", "language"), ("customer_type", "customer_type"), ("legal_form", "legal_form"),
    ("salutation", "salutation"), ("payment_condition", "payment_condition"), ("discount_scheme", "discount_scheme"),
    ("price_list", "price_list"), ("internal_account", "internal_account"), ("block_reason", "block_reason"),
]


def _labels_to_codes() -> list[str]:
    """UPDATEs turning a stored label (any case) into its code, where it is not a code already."""
    statements = []
    for column, kind in CHOICE_COLUMNS:
        match = f"FROM reference_item r WHERE r.kind = '{kind}' AND lower(r.label) = lower(customer.{column})"
        statements.append(
            f"UPDATE customer SET {column} = (SELECT min(r.code) {match}) "
            f"WHERE {column} <> '' AND {column} NOT IN (SELECT code FROM reference_item WHERE kind = '{kind}') "
            f"AND EXISTS (SELECT 1 {match})"
        )
    return statements


REPAIRER_COLUMNS = [
    "code VARCHAR(40) NOT NULL DEFAULT ''", "position INTEGER NOT NULL DEFAULT 0",
    "address VARCHAR(120) NOT NULL DEFAULT ''", "postcode VARCHAR(20) NOT NULL DEFAULT ''",
    "phone VARCHAR(20) NOT NULL DEFAULT ''", "email VARCHAR(254) NOT NULL DEFAULT ''",
]
EVENT_COLUMNS = ("list VARCHAR(40) NOT NULL, code VARCHAR(40) NOT NULL, kind VARCHAR(20) NOT NULL, "
                 "changes TEXT NOT NULL DEFAULT '', operator VARCHAR(64) NOT NULL")

SQLITE = [
    "ALTER TABLE reference_item ADD COLUMN label_fr VARCHAR(120)",
    "ALTER TABLE reference_item ADD COLUMN label_en VARCHAR(120)",
    "ALTER TABLE reference_item ADD COLUMN active INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE repairer ADD COLUMN active INTEGER NOT NULL DEFAULT 1",
    *[f"ALTER TABLE repairer ADD COLUMN {column}" for column in REPAIRER_COLUMNS],
    "UPDATE repairer SET code = CAST(id AS TEXT), position = (SELECT count(*) FROM repairer o "
    "WHERE o.name < repairer.name OR (o.name = repairer.name AND o.id < repairer.id))",
    "CREATE UNIQUE INDEX IF NOT EXISTS repairer_code ON repairer (code)",
    f"CREATE TABLE IF NOT EXISTS reference_event (id INTEGER NOT NULL PRIMARY KEY, {EVENT_COLUMNS}, at DATETIME NOT NULL)",
    "CREATE INDEX IF NOT EXISTS reference_event_list_code ON reference_event (list, code)",
    "CREATE TRIGGER IF NOT EXISTS reference_event_no_update BEFORE UPDATE ON reference_event "
    "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END",
    "CREATE TRIGGER IF NOT EXISTS reference_event_no_delete BEFORE DELETE ON reference_event "
    "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END",
]

POSTGRES = [
    "ALTER TABLE reference_item ADD COLUMN label_fr VARCHAR(120), ADD COLUMN label_en VARCHAR(120), "
    "ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE",
    "ALTER TABLE repairer ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE, "
    + ", ".join(f"ADD COLUMN {column}" for column in REPAIRER_COLUMNS),
    "UPDATE repairer r SET code = r.id::text, position = o.place "
    "FROM (SELECT id, row_number() OVER (ORDER BY name, id) - 1 AS place FROM repairer) o WHERE o.id = r.id",
    "CREATE UNIQUE INDEX IF NOT EXISTS repairer_code ON repairer (code)",
    f"CREATE TABLE IF NOT EXISTS reference_event (id SERIAL NOT NULL PRIMARY KEY, {EVENT_COLUMNS}, at TIMESTAMP NOT NULL)",
    "CREATE INDEX IF NOT EXISTS reference_event_list_code ON reference_event (list, code)",
    # the history guard function of version 1 (it only raises)
    "CREATE TRIGGER reference_event_no_change BEFORE UPDATE OR DELETE ON reference_event "
    "FOR EACH ROW EXECUTE FUNCTION customer_event_append_only()",
    "CREATE TRIGGER reference_event_no_truncate BEFORE TRUNCATE ON reference_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION customer_event_append_only()",
    # live refresh: the notify function of version 3 (channel klantbeheer_customer)
    "CREATE TRIGGER reference_item_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reference_item "
    "FOR EACH STATEMENT EXECUTE FUNCTION customer_notify_change()",
    "CREATE TRIGGER repairer_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON repairer "
    "FOR EACH STATEMENT EXECUTE FUNCTION customer_notify_change()",
]
POSTGRES_GRANTS = """DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantbeheer_medewerker')
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantbeheer_beheerder') THEN
        EXECUTE 'GRANT SELECT ON reference_event TO klantbeheer_medewerker, klantbeheer_beheerder';
        EXECUTE 'GRANT INSERT, UPDATE, DELETE ON reference_item TO klantbeheer_beheerder';
        EXECUTE 'GRANT INSERT ON reference_event TO klantbeheer_beheerder';
        EXECUTE 'GRANT USAGE, SELECT ON SEQUENCE reference_item_id_seq, reference_event_id_seq TO klantbeheer_beheerder';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Klantbeheer: geen rechten om de groepsrollen rechten te geven; zie README (PostgreSQL, rollen).';
END $$"""


def sqlite(db: Database) -> None:
    """Columns, the list history with its guard, labels stored as codes."""
    for statement in [*SQLITE, *_labels_to_codes()]:
        db.execute_sql(statement)


def postgresql(db: Database) -> None:
    """Columns, the list history with its guard, labels stored as codes, notify triggers and privileges."""
    for statement in [*POSTGRES, *_labels_to_codes(), POSTGRES_GRANTS]:
        db.execute_sql(statement)
