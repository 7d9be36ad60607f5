"""Typed-ahead keys and Alt+digit in a real terminal (tmux): what arrives in one packet, and what the screen shows."""
from __future__ import annotations

import re

import pytest
from textual import events
from textual._xterm_parser import XTermParser

from klantbeheer.data import customers, demo
from klantbeheer.tui.terminal_keys import install_alt_digits
from tests.support.terminal import Terminal, app_command


@pytest.fixture
def terminal_db(demo_db: str) -> str:
    """The demo plus 2,000 synthetic customers (the CLI opens it in its own process)."""
    demo.synthetic(2000)
    return demo_db


def parse(data: str) -> list[events.Key]:
    """The key events Textual's xterm parser makes of the bytes a terminal sends."""
    install_alt_digits()
    parser = XTermParser(debug=False)
    return [token for token in parser.feed(data) if isinstance(token, events.Key)] + [
        token for token in parser.feed("") if isinstance(token, events.Key)
    ]


@pytest.mark.parametrize("digit", list("1234567890"))
def test_esc_digit_is_alt_digit_without_a_character(digit: str) -> None:
    keys = parse("\x1b" + digit)
    assert [(key.key, key.character) for key in keys] == [(f"alt+{digit}", None)]


def test_a_plain_digit_and_a_typed_section_sign_stay_characters() -> None:
    assert [(key.key, key.character) for key in parse("1")] == [("1", "1")]
    assert [key.character for key in parse("§")] == ["§"]  # Shift+6 on a Belgian keyboard


def first_line_with(screen: str, pattern: str) -> str:
    """The first screen line matching `pattern` (a regex)."""
    for line in screen.splitlines():
        if re.search(pattern, line):
            return line
    raise AssertionError(f"no line matches {pattern!r}:\n{screen}")


def test_query_arrows_and_enter_in_one_packet_open_the_customer_on_that_row(terminal_db: str) -> None:
    rows = customers.search("peeters", 100)
    term = Terminal(app_command(terminal_db))
    try:
        term.wait_for("Laatst gewijzigde klanten")
        term.send("p", "e", "e", "t", "e", "r", "s", "Down", "Down", "Down", "Enter")
        screen = term.wait_for(r"Klant \d+ · .* · versie", regex=True)
        title = first_line_with(screen, r"Klant \d+ ·")
        assert f"Klant {rows[2]['number']} ·" in title, title
    finally:
        term.close()


def test_keys_typed_while_the_app_starts_are_applied_in_order(terminal_db: str) -> None:
    expected = customers.search("lefevre fran", 100)[0]
    term = Terminal(app_command(terminal_db))
    try:
        term.type("lefevre fran")  # the app is still importing: the terminal is not even in raw mode yet
        term.send("Enter")
        screen = term.wait_for(r"Klant \d+ · .* · versie", regex=True)
        assert f"Klant {expected['number']} ·" in first_line_with(screen, r"Klant \d+ ·")
    finally:
        term.close()


@pytest.mark.parametrize("term_name", ["xterm", "screen", "linux"])
def test_alt_digit_switches_tabs_and_never_types(terminal_db: str, term_name: str) -> None:
    term = Terminal(app_command(terminal_db), env={"TERM": term_name})
    try:
        term.wait_for("Laatst gewijzigde klanten")
        term.send("M-1")  # in the search box: nothing to switch, and nothing typed
        term.type("123")
        term.send("Enter")
        term.wait_for("Klant 123 ·")
        term.send("M-2")
        term.type("Zz")
        screen = term.wait_for("HOGESTRAAT 53Zz")
        assert first_line_with(screen, r"^ Adres ").split() == ["Adres", "HOGESTRAAT", "53Zz"]
        term.send("M-1", "Space")  # one packet: Algemeen's first TEXT field (Naam) takes the space, not the switch
        term.type("!")
        screen = term.wait_for("ABC !")
        assert "Reden *" not in screen, f"a stray Space after Alt+1 opened the block dialog:\n{screen}"
        for junk in "¡™£¢∞§":
            assert junk not in screen
    finally:
        term.close()


def box_holds(text: str) -> str:
    """A pattern for the search box's line holding exactly `text` (between the box's edges)."""
    return rf"(?m)^\S?\s+{re.escape(text)}\s+\S?$"

def test_esc_letter_without_a_binding_is_escape_then_the_letter() -> None:
    """Issue 29: Escape and a letter in one packet were read as Alt+letter; ESC b even as word-left (the b was lost)."""
    install_alt_digits()
    from klantbeheer.tui.terminal_keys import escape_then_letter

    keys = parse("\x1bb")
    assert [(key.key, key.character) for key in keys] == [("alt+b", None)]
    assert [(k.key, k.character) for k in escape_then_letter(keys[0], set()) or []] == [("escape", "\x1b"), ("b", "b")]
    assert escape_then_letter(events.Key("alt+b", None), {"alt+b"}) is None  # a binding that uses it keeps it
    shifted = escape_then_letter(events.Key("alt+shift+a", "A"), set())
    assert [(k.key, k.character) for k in shifted or []] == [("escape", "\x1b"), ("A", "A")]
    assert escape_then_letter(events.Key("alt+1", None), set()) is None  # Alt+digit stays the tab key


@pytest.mark.parametrize("term_name", ["xterm-256color", "screen", "linux"])
def test_escape_and_letters_in_one_packet_clear_the_box_then_type(terminal_db: str, term_name: str) -> None:
    term = Terminal(app_command(terminal_db), env={"TERM": term_name})
    try:
        term.wait_for("Laatst gewijzigde klanten")
        term.type("x")
        term.wait_for(box_holds("x"), regex=True)
        term.send("Escape", "abc")  # ONE send-keys: ESC a b c in one packet, as a laggy SSH link sends them
        term.wait_for(box_holds("abc"), regex=True)  # before: "xabc" (Escape was taken as Alt+a)
        term.send("Escape", "b")  # ESC b was word-left: the b was swallowed and "abc" stayed
        term.wait_for(box_holds("b"), regex=True)
        term.send("Escape", "f", "Escape", "Z")  # ESC f (word-right before) and Escape with Shift+letter
        term.wait_for(box_holds("Z"), regex=True)
    finally:
        term.close()
