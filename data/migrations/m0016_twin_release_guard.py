"""Version 16: only a beheerder may change or clear a BTW-nummer or IBAN that a blocked customer shares (issue 25).

A medewerker who cleared the BTW-nummer of a blocked customer's twin could open a dossier for it and put the
number back. The data layer refuses it (data/duplicates.py); on PostgreSQL the database refuses it too, for a login
that is not a beheerder (nor a superuser or member of the schema owner's role), whatever client it uses.
- SQLite: nothing; whoever can write the file is trusted as its owner (README, 'Wie is de gebruiker').
- PostgreSQL: a BEFORE UPDATE OF vat_number, iban trigger on customer. Its function names every table with its
  schema and sets its search_path with pg_temp last, so a temporary table cannot shadow what it reads.

Frozen: this step carries its own SQL.
"""
from __future__ import annotations

from peewee import Database

SHARED = """(b.blocked AND (b.blocked_until IS NULL OR b.blocked_until >= office_today)
                 OR OLD.blocked AND (OLD.blocked_until IS NULL OR OLD.blocked_until >= office_today))"""

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION public.customer_twin_guard() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    staff_role text;
    office_today date;
BEGIN
    IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
       OR pg_catalog.pg_has_role(session_user, (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID), 'MEMBER') THEN
        RETURN NEW;
    END IF;
    SELECT s.role INTO staff_role FROM public.staff s
     WHERE s.active AND (CASE WHEN s.os_user <> '' THEN s.os_user ELSE s.username END) = session_user;
    IF staff_role = 'beheerder' THEN
        RETURN NEW;
    END IF;
    office_today := (pg_catalog.now() AT TIME ZONE coalesce(
        (SELECT t.value FROM public.setting t WHERE t.key = 'time_zone'), 'Europe/Brussels'))::date;
    IF OLD.vat_number <> '' AND NEW.vat_number IS DISTINCT FROM OLD.vat_number AND EXISTS (
        SELECT 1 FROM public.customer b WHERE b.id <> OLD.id AND b.vat_number = OLD.vat_number AND {SHARED}) THEN
        RAISE EXCEPTION 'Klantbeheer: alleen een beheerder mag een BTW-nummer wijzigen of wissen dat een geblokkeerde klant deelt.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.iban <> '' AND NEW.iban IS DISTINCT FROM OLD.iban AND EXISTS (
        SELECT 1 FROM public.customer b WHERE b.id <> OLD.id AND b.iban = OLD.iban AND {SHARED}) THEN
        RAISE EXCEPTION 'Klantbeheer: alleen een beheerder mag een IBAN wijzigen of wissen dat een geblokkeerde klant deelt.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$""",
    "DROP TRIGGER IF EXISTS customer_twin_guard ON public.customer",
    "CREATE TRIGGER customer_twin_guard BEFORE UPDATE OF vat_number, iban ON public.customer "
    "FOR EACH ROW EXECUTE FUNCTION public.customer_twin_guard()",
]


def sqlite(db: Database) -> None:
    """Nothing to change: the data layer guards the rule (data/duplicates.py)."""


def postgresql(db: Database) -> None:
    """The trigger that refuses a non-beheerder's change of a shared BTW-nummer or IBAN."""
    for statement in POSTGRES:
        db.execute_sql(statement)
