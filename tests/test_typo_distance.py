"""The typo distance (rapidfuzz's optimal string alignment) gives what the textbook recurrence gives (issue 31)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from klantbeheer.data.search import typos


def textbook_osa(a: str, b: str) -> int:
    """Optimal string alignment by its recurrence: insert, delete, substitute, swap two neighbours once."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


@settings(max_examples=400, deadline=None)
@given(st.text("aeilnrstéü", max_size=12), st.text("aeilnrstéü", max_size=12))
def test_the_distance_is_the_textbook_osa(a: str, b: str) -> None:
    assert typos.distance(a, b) == textbook_osa(a, b)


def test_known_cases() -> None:
    assert [typos.distance(*pair) for pair in [("peters", "peeters"), ("copens", "coppens"), ("ab", "ba"),
                                               ("ca", "abc"), ("willems", "wllms")]] == [1, 1, 1, 3, 2]
