"""Typo tolerance: which known words a query word may have meant (a symmetric-delete look-up, SymSpell style).

The database keeps every distinct word of the search texts (letters only, 4 to 20 characters) in
`search_word`, and every form of such a word with one character deleted (two for words of 7 or
more) in `search_word_delete`; triggers keep both in step on every write (see the engines' search
modules and migration m0008). Two words are at most d typos apart only if some form of one with at
most d deletions equals such a form of the other, so a query word's own deletions, looked up in
that table, give every candidate; the true distance (insertions, deletions, substitutions and
swaps of neighbours) then decides. Words of customers since deleted may linger in the table: they
only cost a look-up, since every candidate is checked against the customers' texts afterwards.
"""
from __future__ import annotations

import functools
import importlib
from types import ModuleType

from klantbeheer.data.search.common import bound_db, fetch_rows

MIN_WORD, MAX_WORD = 4, 20  # the words the vocabulary holds (see the triggers)
TWO_DELETES_FROM = 7  # vocabulary words this long also keep their two-deletion forms
MAX_CORRECTIONS = 6


def vocabulary_words(search_text: str) -> set[str]:
    """The words of a search text the vocabulary holds (the same rule as the triggers' SQL)."""
    return {word for word in search_text.replace(" | ", " ").split(" ")
            if MIN_WORD <= len(word) <= MAX_WORD and not any("0" <= ch <= "9" for ch in word)}


def allowed_typos(word: str) -> int:
    """How many typos a query word may hold: none under 5 characters or with a digit, 1 from 5, 2 from 9."""
    if any(ch.isdigit() for ch in word) or len(word) > MAX_WORD:
        return 0
    return 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0


def deletions(word: str, depth: int) -> set[str]:
    """Every form of word with up to `depth` characters deleted (the word itself included)."""
    forms = layer = {word}
    for _ in range(depth):  # one more character deleted from every form of the layer before
        layer = {form[:i] + form[i + 1:] for form in layer for i in range(len(form))}
        forms = forms | layer
    return forms


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, swaps of neighbours (rapidfuzz)."""
    return _osa().distance(a, b)


@functools.cache
def _osa() -> ModuleType:
    """rapidfuzz's OSA distance, imported on the first typo look-up rather than at start-up."""
    return importlib.import_module("rapidfuzz.distance.OSA")


def known(query_words: list[str]) -> set[str]:
    """Those of the words the vocabulary holds (words of 4 to 20 letters some customer's text has or had)."""
    asked = sorted({word for word in query_words if word in vocabulary_words(word)})
    if not asked:
        return set()
    marks = ", ".join([bound_db().param] * len(asked))
    return {row[0] for row in fetch_rows(f"SELECT word FROM search_word WHERE word IN ({marks})", asked)}


def droppable(word: str) -> bool:
    """Whether a word may be left out of a query that finds nobody with it: letters only, 4 to 20 of them (a
    shorter one may still be being typed, a number or postcode means what it says)."""
    return word in vocabulary_words(word)


def corrections(word: str) -> list[str]:
    """Known words within the allowed typos of word (not word itself), closest first, at most MAX_CORRECTIONS."""
    return corrections_of([word]).get(word, [])


def corrections_of(query_words: list[str]) -> dict[str, list[str]]:
    """corrections() of each word, looked up in one query: {word: known words, closest first}."""
    forms_of = {word: deletions(word, allowed_typos(word)) for word in dict.fromkeys(query_words) if allowed_typos(word)}
    if not forms_of:
        return {}
    forms = sorted(set().union(*forms_of.values()))
    marks = ", ".join([bound_db().param] * len(forms))
    sql = (f"SELECT variant, word FROM search_word_delete WHERE variant IN ({marks}) "
           f"UNION ALL SELECT word, word FROM search_word WHERE word IN ({marks})")
    known_by_form: dict[str, set[str]] = {}
    for form, known in fetch_rows(sql, forms + forms):
        known_by_form.setdefault(form, set()).add(known)
    result = {}
    for word, word_forms in forms_of.items():
        found = set().union(*(known_by_form.get(form, set()) for form in word_forms)) - {word}
        depth = allowed_typos(word)
        scored = sorted((distance(word, known), known) for known in found)
        result[word] = [known for score, known in scored if score <= depth][:MAX_CORRECTIONS]
    return result
