"""Read what a terminal really shows: every cell of `tmux capture-pane -e` with its colours resolved to RGB.

The colours a person sees depend on the terminal's palette; this uses xterm's default palette
and a dark terminal (default foreground light grey on a black background), the common case for
the office's SSH clients. A cell is unreadable when its character is drawn in (nearly) the
colour of its own background.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

RGB = tuple[int, int, int]

XTERM_16: list[RGB] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
]
DEFAULT_FG: RGB = (229, 229, 229)
DEFAULT_BG: RGB = (0, 0, 0)
MIN_CONTRAST = 1.5  # WCAG calls 4.5 readable; anything under 1.5 is close to invisible
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def palette_256(index: int) -> RGB:
    """RGB of an xterm 256-colour index."""
    if index < 16:
        return XTERM_16[index]
    if index < 232:
        index -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[index // 36], steps[(index // 6) % 6], steps[index % 6]
    grey = 8 + (index - 232) * 10
    return grey, grey, grey


@dataclass
class Cell:
    """One character cell as the terminal draws it."""

    char: str
    fg: RGB
    bg: RGB
    bold: bool
    reverse: bool
    row: int
    column: int
    underline: bool = False


@dataclass
class _Pen:
    """The current SGR state while reading a line."""

    fg: RGB | None = None
    bg: RGB | None = None
    bold: bool = False
    reverse: bool = False
    underline: bool = False

    def apply(self, params: str) -> None:
        """Apply one SGR parameter list."""
        numbers = [int(part) if part else 0 for part in re.split("[;:]", params)] if params else [0]
        index = 0
        while index < len(numbers):
            code = numbers[index]
            if code == 0:
                self.fg = self.bg = None
                self.bold = self.reverse = self.underline = False
            elif code == 1:
                self.bold = True
            elif code == 22:
                self.bold = False
            elif code == 4:
                self.underline = True
            elif code == 24:
                self.underline = False
            elif code == 7:
                self.reverse = True
            elif code == 27:
                self.reverse = False
            elif 30 <= code <= 37:
                self.fg = XTERM_16[code - 30]
            elif 90 <= code <= 97:
                self.fg = XTERM_16[code - 90 + 8]
            elif 40 <= code <= 47:
                self.bg = XTERM_16[code - 40]
            elif 100 <= code <= 107:
                self.bg = XTERM_16[code - 100 + 8]
            elif code == 39:
                self.fg = None
            elif code == 49:
                self.bg = None
            elif code in (38, 48) and index + 1 < len(numbers):
                mode = numbers[index + 1]
                if mode == 5 and index + 2 < len(numbers):
                    colour = palette_256(numbers[index + 2])
                    index += 2
                elif mode == 2 and index + 4 < len(numbers):
                    colour = (numbers[index + 2], numbers[index + 3], numbers[index + 4])
                    index += 4
                else:
                    colour = None
                if code == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            index += 1


def cells(capture: str, blanks: bool = False) -> list[Cell]:
    """Every non-blank cell (every cell with `blanks`) of a `capture-pane -p -e` text, with resolved colours (reverse applied)."""
    found: list[Cell] = []
    pen = _Pen()
    for row, line in enumerate(capture.split("\n")):
        column = 0
        position = 0
        for match in SGR.finditer(line + "\x1b[m"):
            for char in line[position:match.start()]:
                fg = pen.fg or DEFAULT_FG
                bg = pen.bg or DEFAULT_BG
                if pen.reverse:
                    fg, bg = bg, fg
                if blanks or not char.isspace():
                    found.append(Cell(char, fg, bg, pen.bold, pen.reverse, row, column, underline=pen.underline))
                column += 1
            if match.start() < len(line):
                pen.apply(match.group(1))
            position = match.end()
    return found


def luminance(rgb: RGB) -> float:
    """Relative luminance (WCAG)."""
    def channel(value: int) -> float:
        value_f = value / 255
        return value_f / 12.92 if value_f <= 0.03928 else ((value_f + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(part) for part in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: RGB, other: RGB) -> float:
    """WCAG contrast ratio of two colours (1 = identical, 21 = black on white)."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def unreadable(capture: str) -> list[Cell]:
    """Cells whose character hardly differs from its background."""
    return [cell for cell in cells(capture) if contrast(cell.fg, cell.bg) < MIN_CONTRAST]


def describe(bad: list[Cell], capture_text: str) -> str:
    """A readable failure message: which rows and characters are unreadable."""
    rows = sorted({cell.row for cell in bad})
    lines = capture_text.split("\n")
    sample = [f"row {row}: {lines[row] if row < len(lines) else ''!r}" for row in rows[:8]]
    return f"{len(bad)} unreadable cells, e.g. {bad[0]}\n" + "\n".join(sample)
