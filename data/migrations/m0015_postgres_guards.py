"""Version 15: the PostgreSQL guards hold against the database's own users (issue 25). SQLite: nothing to do.

- Every trigger and guard function names its tables with their schema and runs with
  `search_path = pg_catalog, public, pg_temp` (pg_temp last: unnamed, PostgreSQL searches it first), so a
  temporary `customer` or `pg_roles` cannot stand in for the real one.
- The group roles (and PUBLIC) lose TEMP on the database and CREATE on schema public.
- Drafts are row-level secured: a login sees, writes and deletes only the drafts of its own operator.
- History rows and dossiers are stamped by the database: for a login that is not the owner (or a superuser)
  the operator, `created_by` / `updated_by` / `blocked_by` and the times are the login's own, whatever the
  client sent; only a beheerder may write block, unblock or delete events.
- Block and dossier take the same advisory lock per BTW-nummer and per IBAN, so a twin's dossier cannot commit
  after the block of its twin committed; the dossier guard refuses with SQLSTATE KB001 (own block) or KB002
  (twin), DETAIL "owner:blocked:field", which the data layer turns into CustomerBlocked / TwinBlocked.

Frozen: this step carries its own SQL (data/search/postgres.py keeps the same vocabulary functions).
"""
from __future__ import annotations

from peewee import Database

PATH = "SET search_path = pg_catalog, public, pg_temp"

HELPERS = [
    # the login is the owner's (a member of the role owning public.customer) or a superuser's: the app's own
    f"""CREATE OR REPLACE FUNCTION public.klantbeheer_trusted_login() RETURNS boolean LANGUAGE sql STABLE {PATH} AS $$
SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false)
    OR pg_catalog.pg_has_role(session_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                              WHERE c.oid = 'public.customer'::pg_catalog.regclass), 'MEMBER')
$$""",
    # the operator (staff username) of this login: os_user first, else the same username (as data/staff.py maps)
    f"""CREATE OR REPLACE FUNCTION public.klantbeheer_login_operator() RETURNS text LANGUAGE sql STABLE {PATH} AS $$
SELECT coalesce((SELECT s.username::text FROM public.staff s
                  WHERE s.os_user = session_user OR (s.username = session_user AND s.os_user = '')
                  ORDER BY (s.os_user = session_user) DESC, s.id LIMIT 1), session_user::text)
$$""",
    # the role of this login's operator ('' when none or inactive)
    f"""CREATE OR REPLACE FUNCTION public.klantbeheer_login_role() RETURNS text LANGUAGE sql STABLE {PATH} AS $$
SELECT coalesce((SELECT s.role::text FROM public.staff s
                  WHERE s.active AND s.username = public.klantbeheer_login_operator()), '')
$$""",
    # one advisory lock per BTW-nummer and per IBAN (in a fixed order: no deadlock between two groups)
    f"""CREATE OR REPLACE FUNCTION public.klantbeheer_twin_lock(vat text, iban text) RETURNS void LANGUAGE plpgsql {PATH} AS $$
DECLARE
    key integer;
BEGIN
    FOR key IN SELECT k FROM (VALUES (CASE WHEN coalesce(vat, '') <> '' THEN pg_catalog.hashtext('vat:' || vat) END),
                                     (CASE WHEN coalesce(iban, '') <> '' THEN pg_catalog.hashtext('iban:' || iban) END)) v(k)
                WHERE k IS NOT NULL ORDER BY k
    LOOP
        PERFORM pg_catalog.pg_advisory_xact_lock(19266, key);
    END LOOP;
END $$""",
]

FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION public.customer_event_append_only() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
BEGIN RAISE EXCEPTION 'historiek is alleen-toevoegen' USING ERRCODE = 'restrict_violation'; END $$""",
    f"""CREATE OR REPLACE FUNCTION public.customer_notify_change() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
BEGIN PERFORM pg_catalog.pg_notify('klantbeheer_customer', TG_OP); RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION public.search_word_deletes() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$ BEGIN
INSERT INTO public.search_word_delete (variant, word) SELECT DISTINCT f.v, NEW.word FROM (
SELECT substr(NEW.word, 1, a - 1) || substr(NEW.word, a + 1) AS v FROM generate_series(1, char_length(NEW.word)) a
UNION SELECT substr(NEW.word, 1, a - 1) || substr(NEW.word, a + 1, b - a - 1) || substr(NEW.word, b + 1)
FROM generate_series(1, char_length(NEW.word)) a, generate_series(1, char_length(NEW.word)) b
WHERE b > a AND char_length(NEW.word) >= 7) f ON CONFLICT DO NOTHING; RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION public.customer_words() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$ BEGIN
INSERT INTO public.search_word (word) SELECT DISTINCT w FROM regexp_split_to_table(replace(NEW.search_text, ' | ', ' '), ' ') w
WHERE char_length(w) BETWEEN 4 AND 20 AND w !~ '[0-9]' ON CONFLICT DO NOTHING; RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION public.dossier_owner_guard() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
DECLARE
    office_today date;
    owner_row public.customer%ROWTYPE;
    twin public.customer%ROWTYPE;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.customer_id = OLD.customer_id THEN
        RETURN NEW;
    END IF;
    -- the owner as committed now, kept from changing until this transaction ends
    SELECT * INTO owner_row FROM public.customer WHERE id = NEW.customer_id FOR SHARE;
    IF NOT FOUND THEN
        RETURN NEW;  -- the foreign key refuses it
    END IF;
    -- the lock a block of this BTW/IBAN group takes too; the query after it sees every block committed before
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
            RAISE EXCEPTION 'Klantbeheer: klant % is geblokkeerd; geen nieuw dossier.', twin.number
                USING ERRCODE = 'KB001', DETAIL = owner_row.number || ':' || twin.number || ':';
        END IF;
        RAISE EXCEPTION 'Klantbeheer: klant % deelt BTW-nummer of IBAN met geblokkeerde klant %; geen nieuw dossier.',
            owner_row.number, twin.number
            USING ERRCODE = 'KB002', DETAIL = owner_row.number || ':' || twin.number || ':'
                || CASE WHEN owner_row.vat_number <> '' AND twin.vat_number = owner_row.vat_number THEN 'vat_number' ELSE 'iban' END;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.owner_number IS NULL THEN
        NEW.owner_number := owner_row.number;
        NEW.owner_name := owner_row.name;
    END IF;
    RETURN NEW;
END $$""",
    f"""CREATE OR REPLACE FUNCTION public.customer_role_guard() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
BEGIN
    IF public.klantbeheer_trusted_login() THEN
        RETURN coalesce(NEW, OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN  -- who changed it is the login's operator, whatever the client wrote
        NEW.updated_by := public.klantbeheer_login_operator();
        IF TG_OP = 'INSERT' THEN
            NEW.created_by := NEW.updated_by;
        ELSE
            NEW.created_by := OLD.created_by;
            NEW.created_at := OLD.created_at;
        END IF;
        IF NEW.blocked AND (TG_OP = 'INSERT' OR NOT OLD.blocked) THEN
            NEW.blocked_by := NEW.updated_by;
        END IF;
    END IF;
    IF public.klantbeheer_login_role() = 'beheerder' THEN
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
    # a block (or a blocked customer's new BTW/IBAN or end date) takes its group's lock: waits for dossiers in flight
    f"""CREATE OR REPLACE FUNCTION public.customer_block_lock() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
BEGIN
    IF NEW.blocked AND (TG_OP = 'INSERT' OR NOT OLD.blocked OR NEW.vat_number IS DISTINCT FROM OLD.vat_number
                        OR NEW.iban IS DISTINCT FROM OLD.iban OR NEW.blocked_until IS DISTINCT FROM OLD.blocked_until) THEN
        PERFORM public.klantbeheer_twin_lock(NEW.vat_number, NEW.iban);
    END IF;
    RETURN NEW;
END $$""",
    # a dossier's creator and creation time are the login's, never the client's
    f"""CREATE OR REPLACE FUNCTION public.dossier_stamp() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
BEGIN
    IF public.klantbeheer_trusted_login() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.created_by := public.klantbeheer_login_operator();
        NEW.created_at := date_trunc('second', now() AT TIME ZONE 'UTC');
    ELSE
        NEW.created_by := OLD.created_by;
        NEW.created_at := OLD.created_at;
    END IF;
    RETURN NEW;
END $$""",
    # a history row's operator and time are the login's; block, unblock and delete events only from a beheerder
    f"""CREATE OR REPLACE FUNCTION public.customer_event_stamp() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
BEGIN
    IF public.klantbeheer_trusted_login() THEN
        RETURN NEW;
    END IF;
    NEW.operator := public.klantbeheer_login_operator();
    NEW.at := date_trunc('second', now() AT TIME ZONE 'UTC');
    IF NEW.kind IN ('blocked', 'unblocked', 'deleted') AND public.klantbeheer_login_role() <> 'beheerder' THEN
        RAISE EXCEPTION 'Klantbeheer: alleen een beheerder mag een klant blokkeren, deblokkeren of verwijderen.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$""",
]

TRIGGERS = [
    "DROP TRIGGER IF EXISTS customer_block_lock ON public.customer",
    "CREATE TRIGGER customer_block_lock BEFORE INSERT OR UPDATE ON public.customer "
    "FOR EACH ROW EXECUTE FUNCTION public.customer_block_lock()",
    "DROP TRIGGER IF EXISTS dossier_stamp ON public.dossier",
    "CREATE TRIGGER dossier_stamp BEFORE INSERT OR UPDATE ON public.dossier "
    "FOR EACH ROW EXECUTE FUNCTION public.dossier_stamp()",
    "CREATE TRIGGER event_operator_stamp BEFORE INSERT ON public.customer_event "
    "FOR EACH ROW EXECUTE FUNCTION public.customer_event_stamp()",
]

DRAFTS = [
    "ALTER TABLE public.draft ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS draft_own_operator ON public.draft",
    """DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'klantbeheer_medewerker')
       AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'klantbeheer_beheerder') THEN
        EXECUTE 'CREATE POLICY draft_own_operator ON public.draft TO klantbeheer_medewerker, klantbeheer_beheerder '
                'USING (operator = public.klantbeheer_login_operator()) '
                'WITH CHECK (operator = public.klantbeheer_login_operator())';
    END IF;
END $$""",
]

REVOKES = """DO $$
BEGIN
    EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', pg_catalog.current_database());
    EXECUTE 'REVOKE CREATE ON SCHEMA public FROM PUBLIC';
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'klantbeheer_medewerker')
       AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'klantbeheer_beheerder') THEN
        EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM klantbeheer_medewerker, klantbeheer_beheerder',
                                  pg_catalog.current_database());
        EXECUTE 'REVOKE CREATE ON SCHEMA public FROM klantbeheer_medewerker, klantbeheer_beheerder';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Klantbeheer: geen rechten om TEMP en CREATE in te trekken; zie docs/postgres-security.md.';
END $$"""


def sqlite(db: Database) -> None:
    """Nothing: SQLite has no logins, schemas or temporary shadows of its triggers' tables."""


def postgresql(db: Database) -> None:
    """Guard functions pinned to their schema, stamps, the twin lock, drafts per login, no TEMP for the groups."""
    for statement in [*HELPERS, *FUNCTIONS, *TRIGGERS, *DRAFTS, REVOKES]:
        db.execute_sql(statement.replace("%", "%%"))  # the driver formats even without parameters
