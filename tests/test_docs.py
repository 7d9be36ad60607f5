"""The README and docs/ (issue 27): a short README with the two Quick start commands, links that lead somewhere,
and no option of ours in the docs that the command line does not have."""
from __future__ import annotations

import functools
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]
QUICK_START = ["pip install -e . && python app.py --demo", "pip install -e '.[test]' && pytest"]
FENCE = re.compile(r"^ *```.*?^ *```[^\n]*$", re.S | re.M)
LINK = re.compile(r"\[[^\]]+\]\(([^)\s]+)\)")
GLOBAL_WITH_VALUE = {"--db", "--operator", "--idle-minutes", "--language"}
WITH_SUBCOMMANDS = {"staff", "lists"}


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.replace("`", "").strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every heading anchor of a page (headings inside code blocks are not headings)."""
    found: set[str] = set()
    for line in FENCE.sub("", page.read_text(encoding="utf-8")).splitlines():
        if match := re.match(r"#{1,6} (.+)", line):
            base = slug(match.group(1))
            name, number = base, 0
            while name in found:
                number += 1
                name = f"{base}-{number}"
            found.add(name)
    return found


def test_the_readme_is_at_most_200_lines() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 200


def test_the_quick_start_is_exactly_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```\n(.*?)^```", section, re.S | re.M)
    assert [block.splitlines() for block in blocks] == [QUICK_START]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_leads_to_a_file_and_a_heading_there(page: Path) -> None:
    broken = []
    for target in LINK.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    assert broken == []


def test_every_doc_is_linked_from_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    assert [doc.name for doc in DOCS if f"(docs/{doc.name}" not in readme] == []


@functools.cache
def help_text(*path: str) -> str:
    """`python app.py PATH --help`; empty when that command does not exist."""
    done = subprocess.run([sys.executable, str(ROOT / "app.py"), "--language", "nl", *path, "--help"], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    return done.stdout if done.returncode == 0 else ""


def command_lines() -> list[tuple[str, str]]:
    """(page, code) for every piece of code in the docs that runs our command line."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        pieces = [line for block in FENCE.findall(text) for line in block.splitlines()[1:-1]]
        pieces += [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", FENCE.sub("", text))]
        found += [(page.name, piece.split(" #")[0]) for piece in pieces]
    return found


def words(code: str) -> list[str]:
    """The words of a piece of code, with brackets, alternatives and quotes taken apart."""
    found = []
    for piece in code.split():
        if re.match(r"[\"']?[~./]|[\w.-]+/[\w.-]+/", piece):  # a path (/srv/klantbeheer/klanten.db) is one word
            found.append(piece.strip("\"'[]()"))
        else:
            found += [word for word in re.split(r"[\[\]()|\\/=\"',;]+", piece) if word]
    return found


def invocation(code: str) -> list[str] | None:
    """The words after our program's name (klantbeheer, app.py), or the code itself when it starts with a command."""
    plain = code.split()
    programs = [index for index, word in enumerate(plain) if word.strip("\"'") in ("klantbeheer", "app.py")
                or word.endswith(("/bin/klantbeheer", "/app.py"))]
    if programs:
        return words(" ".join(plain[programs[-1] + 1:]))
    tokens = words(code)
    if len(tokens) > 1 and tokens[0] in commands():
        follows = tokens[1]
        if follows.startswith("-") or follows.isupper() or is_subcommand(tokens[0], follows):
            return tokens
    return None


@functools.cache
def commands() -> set[str]:
    """The commands `python app.py --help` lists."""
    assert "opdrachten:" in help_text(), "the command line's --help no longer lists its commands under 'opdrachten:'"
    return set(re.findall(r"^    ([a-z][a-z-]*)", help_text().split("opdrachten:", 1)[1], re.M))


@functools.cache
def subcommands(*path: str) -> set[str]:
    """The sub-commands that `python app.py PATH --help` lists."""
    listing = help_text(*path).split("OPDRACHT", 2)[-1]
    return set(re.findall(r"^    ([a-z][a-z-]*)", listing, re.M))


@functools.cache
def has_subcommands(command: str) -> bool:
    """Whether a command takes a sub-command (staff, lists)."""
    return "OPDRACHT ..." in help_text(command)


def is_subcommand(command: str, word: str) -> bool:
    """Whether `command word` exists (asked, since argparse does not list a sub-command without a help text)."""
    return has_subcommands(command) and re.fullmatch(r"[a-z]+", word) is not None and bool(help_text(command, word))


def command_path(tokens: list[str]) -> list[list[str]]:
    """The command named after the global options, once per sub-command given (`lists deactivate|activate`)."""
    index = 0
    while index < len(tokens) and tokens[index].startswith("-"):
        index += 2 if tokens[index] in GLOBAL_WITH_VALUE else 1
    if index >= len(tokens) or tokens[index] not in commands():
        return [[]]
    command, rest = tokens[index], tokens[index + 1:]
    if not has_subcommands(command):
        return [[command]]
    named = []
    for word in rest:
        if not is_subcommand(command, word):
            break
        named.append(word)
    if not named and rest and re.fullmatch(r"[a-z]+", rest[0]):
        return [[command, rest[0]]]  # a sub-command that does not exist
    return [[command, sub] for sub in named] or [[command]]


def test_every_option_of_ours_in_the_docs_exists() -> None:
    unknown = []
    for page, code in command_lines():
        tokens = invocation(code)
        if not tokens:
            continue
        flags = {token for token in tokens if re.fullmatch(r"--[a-z][a-z-]*", token)}
        for path in command_path(tokens):
            own = help_text(*path)
            if not own:
                unknown.append(f"{page}: {code!r}: no command {' '.join(path)}")
                continue
            unknown += [f"{page}: {code!r}: {flag}" for flag in sorted(flags) if flag not in own and flag not in help_text()]
    assert unknown == []
