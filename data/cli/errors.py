"""How the command line ends on a refusal: one Dutch sentence on stderr, with --json also one JSON object on stdout.

Exit codes (the `--help` epilog lists them from the error classes of data/errors.py):
0 done; 1 database problem, conflict, `check` found problems, or an unexpected error; 2 bad command line, bad
input, not found, or an import that stored nothing; 3 refused because the customer (or a BTW/IBAN twin) is
blocked; 4 not allowed for this role; 130 interrupted.
"""
from __future__ import annotations

import json
import sys
from typing import Sequence

from klantbeheer.data.errors import BadInput, CustomerBlocked, DatabaseProblem, KlantbeheerError, NotPermitted
from klantbeheer.data.i18n import _

COMMAND_LINE_EXIT = 2
INTERRUPTED_EXIT = 130
UNEXPECTED_EXIT = DatabaseProblem.exit_code
_wanted = {"json": False}


def expect_json(argv: Sequence[str]) -> None:
    """Remember whether --json is on the command line (before `--`), so even a parse error answers in JSON."""
    words = list(argv)
    _wanted["json"] = "--json" in (words[:words.index("--")] if "--" in words else words)


def refuse(sentence: str, exit_code: int, kind: str) -> int:
    """Say `sentence` on stderr (and with --json the JSON object on stdout); return the exit code."""
    sys.stderr.write(sentence + "\n")
    if _wanted["json"]:
        sys.stdout.write(json.dumps({"error": sentence, "exit": exit_code, "kind": kind}, ensure_ascii=False) + "\n")
    sys.stderr.flush()
    sys.stdout.flush()
    return exit_code


def refused(problem: KlantbeheerError) -> int:
    """A domain refusal: its sentence, its class's exit code and kind."""
    from klantbeheer.data.cli.format import error_text

    return refuse(error_text(problem), problem.exit_code, problem.kind)


def failed(problem: BaseException) -> int:
    """No refusal: a known cause's sentence (kind "system" or "database"), else one naming the support log ("unexpected")."""
    from klantbeheer.data.explain import explain, known_cause

    sentence = explain(problem)
    if not known_cause(problem):
        return refuse(sentence, UNEXPECTED_EXIT, "unexpected")
    return refuse(sentence, UNEXPECTED_EXIT, "system" if isinstance(problem, OSError) else "database")


def command_line(message: str) -> int:
    """A bad command line (argparse): one sentence, exit 2, kind "command_line"."""
    sentence = _("Ongeldige opdracht: {message}. Zie 'python app.py --help'.").format(message=message)
    return refuse(sentence, COMMAND_LINE_EXIT, "command_line")


def exit_codes_epilog(width: int = 79) -> str:
    """The exit codes for `--help`, with the numbers of the error classes, wrapped under their code."""
    import textwrap

    codes = [
        (0, _("gelukt")),
        (DatabaseProblem.exit_code, _("databaseprobleem, conflict (iemand anders bewaarde eerst), 'check' vond problemen, "
                                      "of een onverwachte fout (de melding noemt het logboek)")),
        (BadInput.exit_code, _("ongeldige opdracht of invoer, niet gevonden (klant, dossier, database), een klant met "
                               "dossiers verwijderen, of een import die niets bewaarde")),
        (CustomerBlocked.exit_code, _("geweigerd door een regel: de klant (of een klant met hetzelfde BTW-nummer of IBAN) "
                                      "is geblokkeerd")),
        (NotPermitted.exit_code, _("niet toegestaan voor uw rol")),
        (INTERRUPTED_EXIT, _("afgebroken (Ctrl+C)")),
    ]
    lines = [_("afsluitcodes:")]
    for code, text in codes:
        lines += textwrap.wrap(text, width, initial_indent=f"  {code:<5}", subsequent_indent=" " * 7,
                               break_on_hyphens=False)
    example = json.dumps({"error": "...", "exit": CustomerBlocked.exit_code, "kind": CustomerBlocked.kind})
    lines += ["", *textwrap.wrap(_("Met --json staat bij een weigering ook één JSON-object op stdout, bv. {example}.")
                                 .format(example=example), width, break_on_hyphens=False)]
    return "\n".join(lines)
