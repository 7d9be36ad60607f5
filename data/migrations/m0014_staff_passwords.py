"""Version 14: passwords for the browser version (`serve`) and the history of sign-ins (issue 25).

- `staff_password`: one argon2id hash per operator, the count of failed sign-ins in a row and the lock-out end.
  PostgreSQL: no privileges for anyone but the owner (no group role may read a hash); a login sets a password
  only through `klantbeheer_set_password`, a SECURITY DEFINER function that applies the rule itself
  (a beheerder anyone's, a medewerker only their own) with a fixed search_path, pg_temp last.
- `staff_event`: append-only history of sign-ins, failed sign-ins, lock-outs and password changes.
  PostgreSQL: row-level secured: a beheerder login reads every row, a medewerker login only its own;
  written only by the owner or the function.

Frozen: this step carries its own SQL.
"""
from __future__ import annotations

from peewee import Database

SQLITE = [
    "CREATE TABLE IF NOT EXISTS staff_password ("
    " staff_id INTEGER NOT NULL PRIMARY KEY REFERENCES staff (id) ON DELETE CASCADE,"
    " hash TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0, locked_until DATETIME, changed_at DATETIME NOT NULL)",
    "CREATE TABLE IF NOT EXISTS staff_event ("
    " id INTEGER NOT NULL PRIMARY KEY, username VARCHAR(64) NOT NULL, kind VARCHAR(20) NOT NULL,"
    " detail TEXT NOT NULL DEFAULT '', operator VARCHAR(64) NOT NULL, at DATETIME NOT NULL)",
    "CREATE INDEX IF NOT EXISTS staff_event_username ON staff_event (username)",
    "CREATE TRIGGER IF NOT EXISTS staff_event_no_update BEFORE UPDATE ON staff_event "
    "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END",
    "CREATE TRIGGER IF NOT EXISTS staff_event_no_delete BEFORE DELETE ON staff_event "
    "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END",
    "CREATE TRIGGER IF NOT EXISTS staff_event_no_replace BEFORE INSERT ON staff_event "
    "WHEN EXISTS (SELECT 1 FROM staff_event WHERE id = new.id) "
    "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END",
]

POSTGRES = [
    "CREATE TABLE IF NOT EXISTS public.staff_password ("
    " staff_id INTEGER NOT NULL PRIMARY KEY REFERENCES public.staff (id) ON DELETE CASCADE,"
    " hash TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0, locked_until TIMESTAMP, changed_at TIMESTAMP NOT NULL)",
    "REVOKE ALL ON public.staff_password FROM PUBLIC",
    "CREATE TABLE IF NOT EXISTS public.staff_event ("
    " id SERIAL PRIMARY KEY, username VARCHAR(64) NOT NULL, kind VARCHAR(20) NOT NULL,"
    " detail TEXT NOT NULL DEFAULT '', operator VARCHAR(64) NOT NULL, at TIMESTAMP NOT NULL)",
    "REVOKE ALL ON public.staff_event FROM PUBLIC",
    "CREATE INDEX IF NOT EXISTS staff_event_username ON public.staff_event (username)",
    """CREATE OR REPLACE FUNCTION public.klantbeheer_set_password(p_username TEXT, p_hash TEXT, p_by TEXT)
RETURNS VOID LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me public.staff;
    target public.staff;
    trusted BOOLEAN;
BEGIN
    SELECT r.rolsuper OR pg_catalog.pg_has_role(session_user, c.relowner, 'MEMBER') INTO trusted
      FROM pg_catalog.pg_roles r, pg_catalog.pg_class c
     WHERE r.rolname = session_user AND c.oid = 'public.staff'::pg_catalog.regclass;
    IF trusted THEN
        SELECT * INTO me FROM public.staff s WHERE s.username = p_by;
    ELSE
        SELECT * INTO me FROM public.staff s
         WHERE s.os_user = session_user OR (s.username = session_user AND s.os_user = '')
         ORDER BY (s.os_user = session_user) DESC LIMIT 1;
    END IF;
    SELECT * INTO target FROM public.staff s WHERE s.username = p_username;
    IF me.id IS NULL OR NOT me.active OR target.id IS NULL
       OR (me.role <> 'beheerder' AND me.id <> target.id) THEN
        RAISE EXCEPTION 'klantbeheer: wachtwoord niet toegestaan' USING ERRCODE = '42501';
    END IF;
    IF pg_catalog.left(p_hash, 10) <> '$argon2id$' THEN
        RAISE EXCEPTION 'klantbeheer: geen argon2id-hash' USING ERRCODE = '22023';
    END IF;
    INSERT INTO public.staff_password (staff_id, hash, failures, locked_until, changed_at)
    VALUES (target.id, p_hash, 0, NULL, (pg_catalog.now() AT TIME ZONE 'UTC')::TIMESTAMP(0))
    ON CONFLICT (staff_id) DO UPDATE SET hash = EXCLUDED.hash, failures = 0, locked_until = NULL,
                                         changed_at = EXCLUDED.changed_at;
    INSERT INTO public.staff_event (username, kind, detail, operator, at)
    VALUES (target.username, 'password_set', '', me.username, (pg_catalog.now() AT TIME ZONE 'UTC')::TIMESTAMP(0));
END $$""",
    "REVOKE ALL ON FUNCTION public.klantbeheer_set_password(TEXT, TEXT, TEXT) FROM PUBLIC",
    # A beheerder reads every sign-in, a medewerker only their own (the owner, who writes them, is exempt).
    "ALTER TABLE public.staff_event ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS staff_event_read ON public.staff_event",
    """CREATE POLICY staff_event_read ON public.staff_event FOR SELECT USING (
    pg_catalog.pg_has_role(session_user, 'klantbeheer_beheerder', 'MEMBER')
    OR username IN (SELECT s.username FROM public.staff s
                     WHERE s.os_user = session_user OR (s.username = session_user AND s.os_user = '')))""",
]

POSTGRES_GRANTS = """DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantbeheer_medewerker')
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantbeheer_beheerder') THEN
        EXECUTE 'GRANT EXECUTE ON FUNCTION public.klantbeheer_set_password(TEXT, TEXT, TEXT) '
                'TO klantbeheer_medewerker, klantbeheer_beheerder';
        EXECUTE 'GRANT SELECT ON public.staff_event TO klantbeheer_beheerder, klantbeheer_medewerker';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Klantbeheer: geen rechten om de groepsrollen rechten te geven; zie README (PostgreSQL, rollen).';
END $$"""


def sqlite(db: Database) -> None:
    """Add the password and sign-in history tables."""
    for statement in SQLITE:
        db.execute_sql(statement)


def postgresql(db: Database) -> None:
    """Add the owner-only password table, the sign-in history and the function that sets a password."""
    for statement in POSTGRES:
        db.execute_sql(statement)
    db.execute_sql(POSTGRES_GRANTS)
