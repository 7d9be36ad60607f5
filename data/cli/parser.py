"""The command line's parser: global options and one sub-command per headless action, in Dutch (argparse_nl)."""
from __future__ import annotations

import argparse
from typing import NoReturn

from klantbeheer.data.cli import argparse_nl, language, lists, password, places, transfer
from klantbeheer.data.cli import dossiers as dossier_commands
from klantbeheer.data.i18n import N_, _

argparse_nl.install()


class DutchParser(argparse.ArgumentParser):
    """argparse in Dutch (data/cli/argparse_nl.py) that reports a bad command line in one sentence with exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Print one sentence and stop with exit code 2."""
        for english, dutch in argparse_nl.TYPE_NAMES.items():
            message = message.replace(f"({english} ", f"({_(dutch)} ")  # "(int verwacht)", "(int attendu)", "(int expected)"
        from klantbeheer.data.cli import errors

        raise SystemExit(errors.command_line(message))


def build_parser() -> DutchParser:
    """The command line: global options, and one sub-command per headless action."""
    # The sub-commands' copies default to SUPPRESS, so they never overwrite a global option given
    # before the command (argparse copies a sub-parser's defaults over the main namespace).
    common = DutchParser(add_help=False, argument_default=argparse.SUPPRESS)
    from klantbeheer.data import version
    from klantbeheer.data.cli import errors

    parser = DutchParser(prog="klantbeheer", description=_("Klantbeheer: klanten, blokkeringen en dossiers."),
                         epilog=errors.exit_codes_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
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
    dossiers.add_argument("--open", action="store_true", help=_("alleen open dossiers"))
    dossier_commands.add_parser(commands, common)
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
    language.add_arguments(parser, staff_commands, common)
    password.add_arguments(staff_commands, common)
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
    transfer.add_parser(commands, common)
    lists.add_parser(commands, common)
    places.add_parser(commands, common)
    return parser
