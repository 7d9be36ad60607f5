"""The relevance set: queries as people type them, each with the customer it must find, drawn by a seeded process.

The customers come from the demo generator (data/demo.py); a query is built from one customer's
fields, with typos, name variants (Vandenbroeck / Van-den-Broeck), the town in its other language
or a formatted BTW-nummer applied at random. Only customers whose name and postcode, and whose
name and town, no other customer shares are picked, so each query has one right answer.
tests/test_search_quality.py (20,000 customers) and bench/bench_search_quality.py (1,000,000) use it.
"""
from __future__ import annotations

import random
import string
from typing import Any, Callable

from klantbeheer.data.normalize import normalize
from klantbeheer.data.search import text as search_text
from klantbeheer.data.search import towns

KINDS = ["exact_name_town", "typo_name_town", "typo_name_postcode", "two_typos", "joined", "split_hyphen",
         "other_language", "number", "vat", "prefix_typo_free"]


def typo(word: str, rng: random.Random) -> str:
    """One typo in word: an insertion, deletion, substitution or swap of two neighbours (never the first letter)."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["insert", "delete", "substitute", "swap"])
    letter = rng.choice([c for c in string.ascii_lowercase if c != word[i]])
    if kind == "insert":
        return word[:i] + letter + word[i:]
    if kind == "delete":
        return word[:i] + word[i + 1:]
    if kind == "substitute":
        return word[:i] + letter + word[i + 1:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:] if i + 1 < len(word) else word[:i] + letter + word[i + 1:]


def _with_typos(words: list[str], rng: random.Random, count: int = 1, min_len: int = 5) -> list[str] | None:
    """The words with `count` typos in one word long enough for them (None when there is none)."""
    long = [i for i, w in enumerate(words) if len(w) >= min_len and w.isalpha()]
    if not long:
        return None
    i = rng.choice(long)
    changed = words[i]
    for _ in range(count):
        changed = typo(changed, rng)
    if changed == words[i] or len(changed) < {1: 5, 2: 9}[count]:  # as typed, the word must be long enough for them
        return None
    return words[:i] + [changed] + words[i + 1:]


def _other_language(city: str) -> str | None:
    """The town's name in its other official language, if the list has one."""
    norm = normalize(city)
    names = [n for n in towns.official_names(norm) if n != norm]  # not a sub-municipality's municipality
    return names[0] if names else None


def _joined(name_words: list[str]) -> str | None:
    """The name with each run of particles written together ("van den broeck jan" -> "vandenbroeck jan")."""
    out: list[str] = []
    run: list[str] = []
    for word in name_words:
        run.append(word)
        if word not in search_text.PARTICLES:
            out.append("".join(run))
            run = []
    joined = " ".join(out + run)
    return joined if joined != " ".join(name_words) else None


def _query(kind: str, row: dict[str, Any], rng: random.Random) -> str | None:
    """One query of `kind` for the customer row, or None when the kind does not apply to it."""
    name_words = normalize(row["name"]).split()
    city = row["city"] or ""
    builders: dict[str, Callable[[], str | None]] = {
        "exact_name_town": lambda: f"{row['name']} {city}",
        "typo_name_town": lambda: (lambda w: w and " ".join(w) + f" {city}")(_with_typos(name_words, rng)),
        "typo_name_postcode": lambda: (lambda w: w and " ".join(w) + f" {row['postcode']}")(_with_typos(name_words, rng)),
        "two_typos": lambda: (lambda w: w and " ".join(w) + f" {row['postcode']}")(_with_typos(name_words, rng, 2, 9)),
        "joined": lambda: _joined(name_words) and f"{_joined(name_words)} {row['postcode']}",
        "split_hyphen": lambda: "-".join(name_words) + f" {city}" if len(name_words) > 1 else None,
        "other_language": lambda: (lambda other: other and f"{row['name']} {other}")(_other_language(city)),
        "number": lambda: str(row["number"]),
        "vat": lambda: (f"{row['vat_number'][2:6]}.{row['vat_number'][6:9]}.{row['vat_number'][9:]}"
                        if row["vat_number"] else None),
        "prefix_typo_free": lambda: f"{' '.join(name_words[:2])} {row['postcode']}",
    }
    return builders[kind]()


def relevance_set(rows: list[dict[str, Any]], size: int = 240, seed: int = 17) -> list[tuple[str, str, int]]:
    """(kind, query, expected customer number) for `size` queries over customers with a unique name and postcode."""
    rng = random.Random(seed)
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        for key in ((normalize(row["name"]), row["postcode"]), (normalize(row["name"]), normalize(row["city"] or ""))):
            seen[key] = seen.get(key, 0) + 1
    unique = [row for row in rows if seen[(normalize(row["name"]), row["postcode"])] == 1
              and seen[(normalize(row["name"]), normalize(row["city"] or ""))] == 1]
    queries: list[tuple[str, str, int]] = []
    while len(queries) < size:
        kind = KINDS[len(queries) % len(KINDS)]
        row = rng.choice(unique)
        query = _query(kind, row, rng)
        if query:
            queries.append((kind, query, int(row["number"])))
    return queries


def measure(queries: list[tuple[str, str, int]], search: Callable[[str], list[int]]) -> dict[str, Any]:
    """recall@1, recall@10 and the missed queries, for search(text) -> customer numbers in rank order."""
    first = top10 = 0
    missed: list[tuple[str, str, int, int | None]] = []
    for kind, query, expected in queries:
        numbers = search(query)
        if numbers[:1] == [expected]:
            first += 1
        if expected in numbers[:10]:
            top10 += 1
        else:
            missed.append((kind, query, expected, numbers.index(expected) + 1 if expected in numbers else None))
    return {"recall_at_1": first / len(queries), "recall_at_10": top10 / len(queries), "missed": missed}
