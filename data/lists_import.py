"""Import of one reference list from a CSV file (code;label): new codes added, known ones renamed, all or nothing.

A small equivalent of the customer import: it reads UTF-8 text, checks every line first and then
changes the list in one transaction through data/lists.py, so each change is in the list history.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from klantbeheer.data import lists
from klantbeheer.data.errors import BadInput, ValidationFailed
from klantbeheer.data.i18n import _, ngettext
from klantbeheer.data.models import database_proxy
from klantbeheer.data.session import data_function
from klantbeheer.data.visible import visible

IMPORT_LIMIT = 5000  # lines in one list import


def read_csv(path: str) -> list[tuple[int, str, str]]:
    """The (line, code, label) rows of a code;label file (UTF-8, a header line 'code;label' is skipped)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise BadInput(_("Bestand {path} bestaat niet.").format(path=visible(path))) from None
    except IsADirectoryError:
        raise BadInput(_("{path} is een map, geen CSV-bestand.").format(path=visible(path))) from None
    except UnicodeDecodeError:
        raise BadInput(_("Bestand {path} is geen UTF-8-tekst; bewaar het als CSV UTF-8.").format(path=visible(path))) from None
    except OSError as problem:
        raise BadInput(_("Bestand {path} kan niet gelezen worden ({reason}).").format(
            path=visible(path), reason=problem.strerror)) from None
    rows = []
    for number, fields in enumerate(csv.reader(io.StringIO(text), delimiter=";"), start=1):
        if not any(field.strip() for field in fields):
            continue
        if number == 1 and [field.strip().casefold() for field in fields[:2]] == ["code", "label"]:
            continue
        if len(fields) != 2:
            raise BadInput(ngettext("Regel {line}: verwacht 'code;label' (twee velden gescheiden door ;), gevonden: {count} veld.",
                                    "Regel {line}: verwacht 'code;label' (twee velden gescheiden door ;), gevonden: {count} "
                                    "velden.", len(fields)).format(line=number, count=len(fields)))
        rows.append((number, fields[0], fields[1]))
    if len(rows) > IMPORT_LIMIT:
        raise BadInput(_("Te veel regels ({count}); hoogstens {limit} per lijst.").format(count=len(rows), limit=IMPORT_LIMIT))
    return rows


@data_function
def import_csv(name: str, path: str, operator: str) -> dict[str, int]:
    """Add new codes and rename known ones from a code;label file, all or nothing; each change in the history."""
    lists.require_beheerder(operator)
    list_spec = lists.spec(name)
    rows = read_csv(path)
    checked: list[tuple[str, str]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, code, label in rows:
        try:
            good = (lists.check_code(list_spec, code), lists.check_label(label))
        except ValidationFailed as problem:
            problems.append(_("regel {line}: {problem}").format(line=number, problem="; ".join(problem.errors.values())))
            continue
        if good[0].lower() in seen:
            problems.append(_("regel {line}: code '{code}' staat twee keer in het bestand").format(line=number, code=good[0]))
            continue
        seen.add(good[0].lower())
        checked.append(good)
    if problems:
        more = _(" (en nog {count})").format(count=len(problems) - 5) if len(problems) > 5 else ""
        raise BadInput(_("Niets ingelezen: {problems}{more}.").format(problems="; ".join(problems[:5]), more=more))
    counts = {"added": 0, "renamed": 0, "unchanged": 0}
    with database_proxy.atomic():
        for code, label in checked:
            if lists.code_taken(list_spec, code):
                changed = lists.rename(list_spec.name, code, label, operator)["changed"]
                counts["renamed" if changed else "unchanged"] += 1
            else:
                lists.add(list_spec.name, code, label, operator)
                counts["added"] += 1
    return counts
