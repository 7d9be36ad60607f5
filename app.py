"""Klantbeheer entry point: parse the command line, then the TUI, `serve`, or one headless command (data/cli/)."""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import types
from typing import Sequence

if importlib.util.find_spec("klantbeheer") is None:  # `python app.py` in a checkout that is not installed
    sys.modules["klantbeheer"] = types.ModuleType("klantbeheer")
    sys.modules["klantbeheer"].__path__ = [os.path.dirname(os.path.abspath(__file__))]

from klantbeheer.data.cli import language  # noqa: E402
from klantbeheer.data.i18n import _


def run_serve(args: argparse.Namespace) -> int:
    """`serve`: the browser version; the server's own account is no operator of any session."""
    from klantbeheer.data import passwords
    from klantbeheer.data.cli.commands import open_chosen
    from klantbeheer.data.errors import BadInput
    from klantbeheer.tui.serve import ServeOptions, app_command, serve

    location = open_chosen(args)  # no one is logged in: every browser session signs in on its own log-in screen
    if args.operator:
        raise BadInput(_("serve kent geen --operator: elke browsersessie meldt zich zelf aan."))
    passwords.check_server_access()
    command = app_command(location, kiosk=args.kiosk, idle_minutes=args.idle_minutes, language=language.override(args))
    options = ServeOptions(host=args.host, port=args.port, public_url=args.public_url, max_sessions=args.max_sessions,
                           idle_minutes=args.session_idle_minutes)
    return serve(command, options)


def run_tui(args: argparse.Namespace) -> int:
    """Start the Textual app (on the demo database with --demo)."""
    from klantbeheer.data.cli.commands import database_location, open_demo
    from klantbeheer.data.errors import BadInput
    from klantbeheer.tui.startup import quiet_collector_while_starting

    if args.web and args.operator:
        raise BadInput(_("Een browsersessie kent geen --operator: wie zich aanmeldt, is de gebruiker."))
    if args.kiosk and not args.operator and not args.web:
        raise BadInput(_("In kioskmodus is --operator verplicht: de opdrachtregel legt de gebruiker vast."))
    location = database_location(args)
    if args.demo:
        open_demo(args.operator)
    settle = quiet_collector_while_starting()
    from klantbeheer.tui.app import AppSettings, create_app

    settings = AppSettings(kiosk=args.kiosk, idle_minutes=args.idle_minutes, after_start=settle, language=language.override(args),
                           web=args.web)
    app = create_app(db=location, operator=args.operator, settings=settings)
    app.run()
    if app.crash is not None:
        from klantbeheer.data.explain import unexpected

        sys.stderr.write(unexpected(app.crash) + "\n")  # the support log already holds it: this names the file
    return app.return_code or 0


def route(args: argparse.Namespace) -> int:
    """The TUI without a command, the browser version for `serve`, else the command table."""
    if not args.command:
        return run_tui(args)
    if args.command == "serve":
        return run_serve(args)
    from klantbeheer.data.cli import commands

    return commands.run(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run it; every failure is one Dutch sentence on stderr (and JSON with --json)."""
    from klantbeheer.data import support_log
    from klantbeheer.data.cli import errors
    from klantbeheer.data.cli.parser import build_parser
    from klantbeheer.data.errors import KlantbeheerError

    words = sys.argv[1:] if argv is None else list(argv)
    errors.expect_json(words)
    language.start_language(words)
    args = build_parser().parse_args(argv)
    command = " ".join(word for word in (args.command, getattr(args, "staff_command", None)) if word)
    support_log.configure(command, echo=args.debug)  # the command's name only: its arguments may be names
    try:
        return route(args)
    except KlantbeheerError as problem:
        return errors.refused(problem)
    except BrokenPipeError:  # the reader stopped early (`... | head`): the command itself succeeded
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt as stop:  # Ctrl+C, or a stop signal during an export (data/transfer/export_target.py)
        return errors.refuse(_("Afgebroken."), 128 + getattr(stop, "signum", 2), "interrupted")
    except Exception as problem:  # last line of defence: never a traceback for a user; the support log keeps it
        return errors.failed(problem)


if __name__ == "__main__":
    raise SystemExit(main())
