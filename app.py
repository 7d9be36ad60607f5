"""Klantbeheer entry point: starts the TUI, or runs one headless command (see README)."""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import threading
import types
from typing import Any, Callable, NoReturn, Sequence

if importlib.util.find_spec("klantbeheer") is None:  # `python app.py` in a checkout that is not installed
    sys.modules["klantbeheer"] = types.ModuleType("klantbeheer")
    sys.modules["klantbeheer"].__path__ = [os.path.dirname(os.path.abspath(__file__))]

from klantbeheer.data import argparse_nl, cli_language, cli_password  # noqa: E402
from klantbeheer.data.i18n import N_, _

argparse_nl.install()


class DutchParser(argparse.ArgumentParser):
    """argparse in Dutch (data/argparse_nl.py) that reports a bad command line in one sentence with exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Print one sentence and stop with exit code 2."""
        for english, dutch in argparse_nl.TYPE_NAMES.items():
            message = message.replace(f"({english} ", f"({_(dutch)} ")  # "(int verwacht)", "(int attendu)", "(int expected)"
        from klantbeheer.data import cli_errors

        raise SystemExit(cli_errors.command_line(message))


def build_parser() -> DutchParser:
    """The command line: global options, and one sub-command per headless action."""
    # The sub-commands' copies default to SUPPRESS, so they never overwrite a global option given
    # before the command (argparse copies a sub-parser's defaults over the main namespace).
    common = DutchParser(add_help=False, argument_default=argparse.SUPPRESS)
    from klantbeheer.data import cli_errors, version

    parser = DutchParser(prog="klantbeheer", description=_("Klantbeheer: klanten, blokkeringen en dossiers."),
                         epilog=cli_errors.exit_codes_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"klantbeheer {version.current()}",
                        help=_("het versienummer tonen en stoppen"))
    for target in (common, parser):
        target.add_argument("--db", metavar=_("PAD_OF_URL"), help=_("databasebestand of URL (standaard: KLANTBEHEER_DB of de gebruikersmap)"))
        target.add_argument("--operator", metavar=_("GEBRUIKER"), help=_("gebruikersnaam (standaard: de systeemgebruiker)"))
        target.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
        target.add_argument("--debug", action="store_true", help=_("bij een onverwachte fout ook de traceback tonen (zie het logboek)"))
    parser.add_argument("--demo", action="store_true",
                        help=_("de demodatabase gebruiken (aangemaakt en gevuld bij eerste gebruik), ook voor een opdracht"))
    parser.add_argument("--kiosk", action="store_true", help=_("kioskmodus: geen uitweg uit de app"))
    parser.add_argument("--idle-minutes", type=int, default=5, help=_("kiosk: terug naar leeg zoekscherm na N minuten"), metavar=_("MINUTEN"))
    parser.add_argument("--web", action="store_true", help=argparse.SUPPRESS)  # one browser session of serve: log-in screen first
    commands = parser.add_subparsers(dest="command", parser_class=DutchParser, title=_("opdrachten"), metavar=_("OPDRACHT"))

    commands.add_parser("init", parents=[common], help=_("een nieuwe, lege database aanmaken (u wordt beheerder)"))
    demo = commands.add_parser("demo", parents=[common], help=_("demodata laden (beheerder)"))
    demo.add_argument("--customers", type=int, default=0, help=_("extra synthetische klanten"), metavar=_("AANTAL"))
    demo.add_argument("--force", action="store_true", help=_("ook in een database met echte klanten (beheerder)"))
    search = commands.add_parser("search", parents=[common], help=_("klanten zoeken"))
    search.add_argument("text", metavar=_("TEKST"))
    search.add_argument("--limit", type=int, default=50, metavar=_("AANTAL"))
    search.add_argument("--blocked", action="store_true", help=_("alleen geblokkeerd"))
    show = commands.add_parser("show", parents=[common], help=_("een klant tonen"))
    show.add_argument("number", metavar=_("NUMMER"))
    block = commands.add_parser("block", parents=[common], help=_("een klant blokkeren (beheerder)"))
    block.add_argument("number", metavar=_("NUMMER"))
    block.add_argument("--reason", required=True, metavar=_("REDEN"))
    block.add_argument("--message", default="", metavar=_("TEKST"))
    block.add_argument("--until", default=None, help=_("JJJJ-MM-DD"), metavar=_("DATUM"))
    block.add_argument("--update", action="store_true", help=_("reden, bericht en einddatum van een bestaande blokkering wijzigen"))
    unblock = commands.add_parser("unblock", parents=[common], help=_("een blokkering opheffen (beheerder)"))
    unblock.add_argument("number", metavar=_("NUMMER"))
    delete = commands.add_parser("delete", parents=[common], help=_("een klant verwijderen (beheerder)"))
    delete.add_argument("number", metavar=_("NUMMER"))
    dossier = commands.add_parser("new-dossier", parents=[common], help=_("een nieuw dossier openen"))
    dossier.add_argument("--customer", required=True, metavar=_("NUMMER"))
    dossier.add_argument("--description", required=True, metavar=_("TEKST"))
    dossier.add_argument("--reference", default="", metavar=_("REF"))
    dossier.add_argument("--plate", default="", metavar=_("NUMMERPLAAT"))
    dossiers = commands.add_parser("dossiers", parents=[common], help=_("dossiers tonen"))
    dossiers.add_argument("--customer", default=None, metavar=_("NUMMER"))
    serve = commands.add_parser("serve", parents=[common], help=_("de app in de browser aanbieden (textual-serve)"))
    serve.add_argument("--host", default="127.0.0.1", help=_("adres om op te luisteren (standaard 127.0.0.1)"))
    serve.add_argument("--port", type=int, default=8000, help=_("poort (standaard 8000)"))
    serve.add_argument("--public-url", default=None, help=_("publiek adres achter een reverse proxy, bv. https://klanten.example"), metavar=_("URL"))
    serve.add_argument("--max-sessions", type=int, default=20, help=_("hoogstens zoveel browsersessies tegelijk (standaard 20)"), metavar=_("AANTAL"))
    serve.add_argument("--idle-minutes", dest="session_idle_minutes", type=float, default=15,
                       help=_("een browsersessie zonder invoer eindigt na N minuten (standaard 15)"), metavar=_("MINUTEN"))
    staff = commands.add_parser("staff", parents=[common], help=_("gebruikers beheren"))
    staff_commands = staff.add_subparsers(dest="staff_command", required=True, parser_class=DutchParser, metavar=_("OPDRACHT"))
    staff_add = staff_commands.add_parser("add", parents=[common])
    staff_add.add_argument("username", metavar=_("GEBRUIKER"))
    staff_add.add_argument("--name", default="", metavar=_("NAAM"))
    staff_add.add_argument("--role", required=True, choices=["beheerder", "medewerker"])
    staff_add.add_argument("--os-user", default="", help=_("systeemgebruiker (SQLite) of databasegebruiker (PostgreSQL), als die anders heet"))
    staff_add.add_argument("--language", default="", metavar=_("TAAL"), help=_("nl, fr of en (standaard: de taal van de omgeving)"))
    staff_commands.add_parser("list", parents=[common])
    cli_language.add_arguments(parser, staff_commands, common)
    cli_password.add_arguments(staff_commands, common)
    for name, text in (("deactivate", N_("een gebruiker deactiveren (beheerder)")), ("activate", N_("een gebruiker weer activeren (beheerder)"))):
        toggle = staff_commands.add_parser(name, parents=[common], help=_(text))
        toggle.add_argument("username", metavar=_("GEBRUIKER"))
    backup = commands.add_parser("backup", parents=[common], help=_("consistente reservekopie (ook terwijl anderen werken)"))
    backup.add_argument("dest", help=_("bestand voor de kopie"), metavar=_("BESTEMMING"))
    backup.add_argument("--overwrite", action="store_true", help=_("een bestaand bestand vervangen"))
    commands.add_parser("check", parents=[common], help=_("database, zoekindex en historiek nakijken"))
    zone = commands.add_parser("time-zone", parents=[common], help=_("de tijdzone van het kantoor tonen of instellen (beheerder)"))
    zone.add_argument("zone", nargs="?", default=None, help=_("bv. Europe/Brussels; leeg: tonen"))
    copy_to = commands.add_parser("copy-to", parents=[common], help=_("deze database naar een lege PostgreSQL-database kopiëren (beheerder)"))
    copy_to.add_argument("url", help=_("postgresql://gebruiker@host:poort/database (leeg)"))
    from klantbeheer.data import cli_lists, cli_transfer

    cli_transfer.add_parser(commands, common)
    cli_lists.add_parser(commands, common)
    return parser


def _print(args: argparse.Namespace, value: Any, text: str) -> None:
    """Print JSON when asked, else the plain text."""
    from klantbeheer.data.cli_format import to_json

    print(to_json(value) if args.json else text)


def database_location(args: argparse.Namespace) -> str | None:
    """The database to use: --db, or with --demo the demo database (created and filled on first use)."""
    from klantbeheer.data.db import demo_location

    if not args.demo:
        return args.db
    if args.db is not None:
        from klantbeheer.data.errors import BadInput

        raise BadInput(_("Kies --demo of --db, niet allebei."))
    return demo_location()


def open_demo(operator: str | None) -> None:
    """Open the demo database, creating it and loading the demo data on first use."""
    from pathlib import Path

    from klantbeheer.data import demo, staff
    from klantbeheer.data.db import demo_location, open_database

    location = demo_location()
    Path(location).parent.mkdir(parents=True, exist_ok=True)
    open_database(location, create=True)
    demo.load_demo(staff.login(operator).username, demo_database=True)


def run_command(args: argparse.Namespace) -> int:
    """Open the database, log the operator in, run one command; return the exit code."""
    from klantbeheer.data import customers, demo, dossiers, staff
    from klantbeheer.data.cli_format import customer_text, dossier_lines, search_lines
    from klantbeheer.data.db import init_database, is_demo_location, open_database
    from klantbeheer.data.progress import progress_bar, wanted

    location = database_location(args)
    if args.command == "init":
        if args.demo:
            from klantbeheer.data.errors import BadInput

            raise BadInput(_("init maakt een gewone database; de demodatabase maakt --demo zelf aan."))
        db = init_database(location)
        operator = staff.login(args.operator).username
        _print(args, {"created": db.database, "beheerder": operator},
               _("Nieuwe database aangemaakt: {database}; {operator} is beheerder.").format(database=db.database, operator=operator))
        return 0
    if args.demo:
        open_demo(args.operator)
    else:
        open_database(location)
    if args.command == "serve":  # no one is logged in: every browser session signs in on its own log-in screen
        return run_serve(args, location)
    person = staff.login(args.operator)
    cli_language.use_operator_language(args, person.language)
    operator = person.username
    if args.command in ("import", "export"):
        from klantbeheer.data import cli_transfer

        return cli_transfer.run(args, operator)
    if args.command == "demo":
        with progress_bar(wanted(args.json)) as progress:
            made = demo.load(operator, args.customers, demo_database=args.demo or is_demo_location(location),
                             force=args.force, progress=progress)
        added, extra = made["demo"], made["synthetic"]
        _print(args, made, _("{added} democlanten en {extra} synthetische klanten toegevoegd.").format(added=added, extra=extra))
    elif args.command == "search":
        page = customers.search_page(args.text, limit=args.limit, blocked_only=args.blocked)
        rows = page["rows"]
        # JSON keys are glossary code names: the internal row id is not one of them
        _print(args, [{k: v for k, v in row.items() if k != "id"} for row in rows],
               search_lines(rows, page["corrections"], page["searchable"]))
    elif args.command == "show":
        customer = customers.get(args.number)
        _print(args, customer, customer_text(customer))
    elif args.command == "block":
        customer = customers.block(args.number, args.reason, args.message, args.until, operator, update=args.update)
        _print(args, customer, block_text(customer, args.update))
    elif args.command == "unblock":
        customer = customers.unblock(args.number, operator)
        if customer["changed"]:
            text = _("De blokkering van klant {number} ({name}) is opgeheven.").format(number=customer["number"], name=customer["name"])
        else:
            text = _("Klant {number} ({name}) was niet geblokkeerd; er is niets gewijzigd.").format(
                number=customer["number"], name=customer["name"])
        _print(args, customer, text)
    elif args.command == "delete":
        customers.delete(args.number, operator)
        _print(args, {"deleted": args.number}, _("Klant {number} is verwijderd.").format(number=args.number))
    elif args.command == "new-dossier":
        made = dossiers.create_dossier(args.customer, args.description, args.reference, args.plate, operator)
        _print(args, made, _("Dossier {number} aangemaakt voor klant {customer} ({name}).").format(
            number=made["number"], customer=made["customer"], name=made["customer_name"]))
    elif args.command == "dossiers":
        rows = dossiers.list_dossiers(args.customer)
        _print(args, rows, dossier_lines(rows))
    elif args.command == "backup":
        from klantbeheer.data import maintenance
        from klantbeheer.data.i18n import number_text

        with progress_bar(wanted(args.json)) as progress:
            made = maintenance.backup(args.dest, overwrite=args.overwrite, progress=progress)
        _print(args, made, _("Reservekopie geschreven naar {backup} ({size} bytes).").format(backup=made["backup"], size=number_text(made["bytes"])))
    elif args.command == "check":
        from klantbeheer.data import maintenance

        with progress_bar(wanted(args.json)) as progress:
            result = maintenance.check(progress)
        _print(args, result, maintenance.check_text(result))
        return 0 if result["ok"] else 1
    elif args.command == "time-zone":
        from klantbeheer.data import settings

        name = settings.set_time_zone(args.zone, operator) if args.zone else settings.time_zone()
        _print(args, {"time_zone": name}, _("Tijdzone van het kantoor: {name}.").format(name=name))
    elif args.command == "copy-to":
        from klantbeheer.data import copy_to

        staff.require_beheerder(operator, N_("een database kopiëren"))
        with progress_bar(wanted(args.json)) as progress:
            result = copy_to.copy_to(args.url, progress)
        _print(args, result, copy_to.describe(result))
    elif args.command == "lists":
        from klantbeheer.data import cli_lists

        return cli_lists.run(args, operator)
    elif args.command == "staff":
        if args.staff_command == "add":
            person = staff.add(args.username, args.name, args.role, operator, args.os_user, args.language)
            _print(args, person, _("Gebruiker {username} toegevoegd als {role}.").format(username=person["username"], role=_(person["role"])))
        elif args.staff_command in ("password", "logins"):
            _print(args, *cli_password.run(args, operator))
        elif args.staff_command == "language":
            _print(args, *cli_language.run_staff_language(args, operator))
        elif args.staff_command in ("activate", "deactivate"):
            person = staff.set_active(args.username, args.staff_command == "activate", operator)
            state = _("actief") if person["active"] else _("niet actief")
            _print(args, person, _("Gebruiker {username} is nu {state}.").format(username=person["username"], state=state))
        else:
            people = staff.all_staff()
            lines = (f"{p['username']:<20} {_(p['role']):<13} {_('actief') if p['active'] else _('niet actief')}  {p['full_name']}" for p in people)
            _print(args, people, "\n".join(lines))
    return 0


def run_serve(args: argparse.Namespace, location: str | None) -> int:
    """`serve`: the browser version; the server's own account is no operator of any session."""
    from klantbeheer.data import passwords
    from klantbeheer.data.errors import BadInput
    from klantbeheer.tui.serve import ServeOptions, app_command, serve

    if args.operator:
        raise BadInput(_("serve kent geen --operator: elke browsersessie meldt zich zelf aan."))
    passwords.check_server_access()
    command = app_command(location, kiosk=args.kiosk, idle_minutes=args.idle_minutes, language=cli_language.override(args))
    options = ServeOptions(host=args.host, port=args.port, public_url=args.public_url, max_sessions=args.max_sessions,
                           idle_minutes=args.session_idle_minutes)
    return serve(command, options)


def block_text(customer: dict[str, Any], update: bool) -> str:
    """What `block` did, in one Dutch sentence."""
    who = _("Klant {number} ({name})").format(number=customer["number"], name=customer["name"])
    if customer["changed"]:
        if update and customer["blocked_at"]:
            return _("{who}: de blokkering is gewijzigd.").format(who=who)
        return _("{who} is geblokkeerd.").format(who=who)
    from klantbeheer.data import clock
    from klantbeheer.data.i18n import moment_text

    since = moment_text(clock.local(customer["blocked_at"])) if customer.get("blocked_at") else _("onbekend")
    if update:
        return _("{who} was al zo geblokkeerd (sinds {since}, door {by}); er is niets gewijzigd.").format(
            who=who, since=since, by=customer["blocked_by"])
    return _("{who} was al geblokkeerd (sinds {since}, door {by}); er is niets gewijzigd. "
             "Gebruik --update om reden, bericht of einddatum te wijzigen.").format(who=who, since=since, by=customer["blocked_by"])


def _quiet_collector_while_starting() -> Callable[[], None]:
    """Start-up time: no garbage-collector passes while the TUI loads and shows its first screen.

    Measured side by side (20 alternating runs of `import klantbeheer.tui.app`): 235 ms with, 300 ms without.
    Returns the step the app runs once its first screen is up: collect once, move the survivors
    (modules, classes, reference data) to the permanent generation, collect normally from then on.
    """
    import gc

    gc.disable()

    def settle() -> None:
        gc.collect()
        gc.freeze()
        gc.enable()
        _warm_in_background()

    return settle


def _warm_in_background() -> threading.Thread:
    """Read the Belgian place lists in a background thread once the first screen is up (see towns.warm)."""
    from klantbeheer.data.search import towns

    thread = threading.Thread(target=towns.warm, name="warm-place-lists", daemon=True)
    thread.start()
    return thread


def run_tui(args: argparse.Namespace) -> int:
    """Start the Textual app (on the demo database with --demo)."""
    if args.web and args.operator:
        from klantbeheer.data.errors import BadInput

        raise BadInput(_("Een browsersessie kent geen --operator: wie zich aanmeldt, is de gebruiker."))
    if args.kiosk and not args.operator and not args.web:
        from klantbeheer.data.errors import BadInput

        raise BadInput(_("In kioskmodus is --operator verplicht: de opdrachtregel legt de gebruiker vast."))
    location = database_location(args)
    if args.demo:
        open_demo(args.operator)
    settle = _quiet_collector_while_starting()
    from klantbeheer.tui.app import AppSettings, create_app

    settings = AppSettings(kiosk=args.kiosk, idle_minutes=args.idle_minutes, after_start=settle, language=cli_language.override(args),
                           web=args.web)
    app = create_app(db=location, operator=args.operator, settings=settings)
    app.run()
    if app.crash is not None:
        from klantbeheer.data.explain import unexpected

        sys.stderr.write(unexpected(app.crash) + "\n")  # the support log already holds it: this names the file
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run it; every failure is one Dutch sentence on stderr (and JSON with --json)."""
    from klantbeheer.data import cli_errors, support_log
    from klantbeheer.data.errors import KlantbeheerError

    words = sys.argv[1:] if argv is None else list(argv)
    cli_errors.expect_json(words)
    cli_language.start_language(words)
    args = build_parser().parse_args(argv)
    command = " ".join(word for word in (args.command, getattr(args, "staff_command", None)) if word)
    support_log.configure(command, echo=args.debug)  # the command's name only: its arguments may be names
    try:
        return run_command(args) if args.command else run_tui(args)
    except KlantbeheerError as problem:
        return cli_errors.refused(problem)
    except BrokenPipeError:  # the reader stopped early (`... | head`): the command itself succeeded
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt as stop:  # Ctrl+C, or a stop signal during an export (data/export_target.py)
        return cli_errors.refuse(_("Afgebroken."), 128 + getattr(stop, "signum", 2), "interrupted")
    except Exception as problem:  # last line of defence: never a traceback for a user; the support log keeps it
        return cli_errors.failed(problem)


if __name__ == "__main__":
    raise SystemExit(main())
