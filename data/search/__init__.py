"""Customer search: case- and accent-insensitive, every script, every word must match, exact hits first;
then other names of the same town and typo corrections (data/search/towns.py, data/search/typos.py); last,
for a word no customer has and no typo explains, the customers matching the other words (_partial_tier).

The shared part (query planning, ranking tiers, result rows) lives here; each engine's SQL lives
beside it (sqlite.py, postgres.py) and is reached through the bound engine, never by asking which.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from klantbeheer.data import clock, session
from klantbeheer.data.blocking import active_block_filter, block_active
from klantbeheer.data.models import Customer
from klantbeheer.data.normalize import normalize, words
from klantbeheer.data.search import towns, typos
from klantbeheer.data.search.common import bound_db, fetch_rows
from klantbeheer.data.session import data_function
from klantbeheer.data.validation import check_vat
from klantbeheer.data.visible import visible_values


@functools.lru_cache(maxsize=256)
def _vat_of(text: str) -> str:
    """The stored form of a VAT number typed in any form, or "" when text is not one."""
    if not 8 <= len(text) <= 20:
        return ""
    try:
        return check_vat(text)
    except ValueError:
        return ""


# Up to this many matches of a tier are ranked (whole words, fewer typos first); more stay in id order.
RANK_WINDOW = 200
# The tiers after the name prefixes are read in one query (with the texts) only for asks up to this
# many ids (a page or a few): a count up to 1000 or an export would carry every text of a broad answer,
# or throw it away when it turns out incomplete.
AT_ONCE_UP_TO = 2 * RANK_WINDOW


@dataclass
class Match:
    """Ids of matching customers in rank order, and the typo corrections that found some of them."""

    ids: list[int] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # query words some results lack (ranked after the full matches)


def _town_slots(ordered: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The query's words in order as (text, town needles), a run of words naming a town taken as one slot."""
    slots: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(ordered):
        for size in (4, 3, 2, 1):
            phrase = " ".join(ordered[i:i + size])
            if i + size <= len(ordered) and (size == 1 or towns.needles(phrase)):
                slots.append((phrase, towns.needles(phrase)))
                i += size
                break
    return slots


def _texts(ids: list[int]) -> dict[int, str]:
    """The search texts of these customers."""
    if not ids:
        return {}
    marks = ", ".join([bound_db().param] * len(ids))
    return dict(fetch_rows(f"SELECT id, search_text FROM customer WHERE id IN ({marks})", ids))


def _word_score(word: str, text_words: set[str]) -> int:
    """2 when word is a whole word of the text, 1 when a word of the text starts with it, else 0."""
    if word in text_words:
        return 2
    return 1 if any(known.startswith(word) for known in text_words) else 0


def _ranked(ids: list[int], texts: dict[int, str], score: Callable[[str], int]) -> list[int]:
    """ids by descending score of their text, else in their own order (stable)."""
    return sorted(ids, key=lambda i: -score(texts.get(i, "")))


def _tier(found: dict[int, None], raw: list[int], score: Callable[[str], int],
          texts: dict[int, str] | None = None) -> list[int]:
    """The new ids of a tier: ranked by score when the tier is complete within RANK_WINDOW, else in id order.

    Whether a tier is ranked does not depend on the page asked for, so every page continues the one before.
    `texts` may hold the search texts already read (else they are read when needed).
    """
    new = [i for i in raw if i not in found]
    if len(raw) > RANK_WINDOW or len(new) < 2:
        return new
    return _ranked(new, texts if texts is not None else _texts(new), score)


def _alternatives_score(slots: list[list[tuple[str, int]]]) -> Callable[[str], int]:
    """Score of a text against slots of (needle, typos): per slot the best needle it holds, fewer typos higher."""
    def score(text: str) -> int:
        total = 0
        for options in slots:
            total += max((2 - typos_ for needle, typos_ in options if needle in text), default=0)
        return total
    return score


def _holds_all(slots: list[list[tuple[str, int]]]) -> Callable[[str], bool]:
    """Whether a text holds, for every slot, one of its needles (what the town and typo queries ask)."""
    return lambda text: all(any(needle in text for needle, _ in options) for options in slots)


def _typo_options(town_options: list[list[tuple[str, int]]], known_words: dict[str, list[str]]) -> list[list[tuple[str, int]]]:
    """The town options of every slot plus the typo corrections of single words (and their towns' other names)."""
    typo_options = []
    for options in town_options:
        phrase = options[0][0]
        extra: list[tuple[str, int]] = []
        for known in known_words.get(phrase, []):
            distance = typos.distance(phrase, known)
            extra += [(known, distance)] + [(name, distance) for name in towns.needles(known) if name != known]
        typo_options.append(options + extra)
    return typo_options


@dataclass
class _Plan:
    """What the tiers after the name prefixes ask: the words, each slot's town and typo options."""

    query_words: list[str]
    town_options: list[list[tuple[str, int]]]
    typo_options: list[list[tuple[str, int]]] | None = None  # None: not looked up yet

    def whole_words(self, text: str) -> int:
        """How many query words the text holds as whole words (2 each) or word starts (1 each)."""
        text_words = set(text.replace("|", " ").split())
        return sum(_word_score(w, text_words) for w in self.query_words)

    def corrections(self) -> list[list[tuple[str, int]]]:
        """The typo options (looked up once)."""
        if self.typo_options is None:
            known = typos.corrections_of([options[0][0] for options in self.town_options if " " not in options[0][0]])
            self.typo_options = _typo_options(self.town_options, known)
        return self.typo_options


def _engine_ids(text: str, query_words: list[str], limit: int, blocked_only: bool) -> Match:
    """Ranked ids: exact number / external ref / VAT, names starting with the text, the rest (whole words
    first), then other names of the same town, then typo corrections (exact and prefix always above typos)."""
    backend = session.engine().search
    stripped = text.strip()
    number = int(stripped) if stripped.isdigit() and stripped.isascii() and len(stripped) <= 9 else None
    refs = list(dict.fromkeys([stripped, stripped.upper(), stripped.lower()])) if stripped and len(stripped) <= 40 else []
    found: dict[int, None] = dict.fromkeys(backend.exact_ids(number, refs, _vat_of(stripped), blocked_only))
    whole = normalize(text[:500])
    if len(found) < limit:
        found.update(dict.fromkeys(backend.name_prefix_ids(whole, limit, blocked_only)))
    if len(found) >= limit:
        return Match(list(found)[:limit], [])
    wanted = max(limit + len(found), RANK_WINDOW + 1)
    distinct = list(dict.fromkeys(whole.split()))
    slots = _town_slots(distinct[:8])
    plan = _Plan(query_words, [[(phrase, 0)] + [(name, 0) for name in names if name != phrase] for phrase, names in slots])
    if not blocked_only and len(distinct) <= 8 and wanted <= AT_ONCE_UP_TO:
        done = _tiers_at_once(backend, plan, found, limit, wanted)
        if done is not None:
            ignored = _partial_tier(backend, found, plan, limit, wanted, blocked_only) if len(found) < limit else []
            return Match(list(found)[:limit], done, ignored)
    raw = backend.contains_ids(query_words, wanted, blocked_only)
    found.update(dict.fromkeys(_tier(found, raw, plan.whole_words)))
    if len(found) < limit and any(len(options) > 1 for options in plan.town_options):
        raw = backend.any_of_ids([[text for text, _ in options] for options in plan.town_options], wanted, blocked_only)
        found.update(dict.fromkeys(_tier(found, raw, _alternatives_score(plan.town_options))))
    used: list[str] = []
    if len(found) < limit:
        used = _typo_tier(backend, found, plan, limit, wanted, blocked_only)
    ignored = _partial_tier(backend, found, plan, limit, wanted, blocked_only) if len(found) < limit else []
    return Match(list(found)[:limit], used, ignored)


def _partial_tier(backend: Any, found: dict[int, None], plan: _Plan, limit: int, wanted: int,
                  blocked_only: bool) -> list[str]:
    """After every full match: the customers matching all words but one that is no known word, has no typo
    correction and is in no customer found ("wllms jan" still finds the Jans; "peeters gent" finds nobody,
    since Gent is a word the customers' texts have); returns the words left out."""
    typo_options = plan.corrections()
    if len(typo_options) < 2:
        return []
    unknown = [options[0][0] for options, plain in zip(typo_options, plan.town_options)
               if len(options) == len(plain) == 1 and typos.droppable(options[0][0])]
    unknown = [word for word in unknown if word not in typos.known(unknown) and not towns.needles(word)]
    if not unknown:
        return []
    texts = _texts(list(found)) if found else {}
    ignored: list[str] = []
    for index, (options, plain) in enumerate(zip(typo_options, plan.town_options)):
        word = plain[0][0]
        if word not in unknown or any(word in text for text in texts.values()):
            continue
        others = [other for position, other in enumerate(typo_options) if position != index]
        raw = backend.any_of_ids([list(dict.fromkeys(text for text, _ in other)) for other in others], wanted,
                                 blocked_only)
        new = _tier(found, raw, _alternatives_score(others))
        if new:
            ignored.append(plain[0][0])
            found.update(dict.fromkeys(new))
        if len(found) >= limit:
            break
    return ignored


def _tiers_at_once(backend: Any, plan: _Plan, found: dict[int, None], limit: int, wanted: int) -> list[str] | None:
    """The contains, town and typo tiers from one query, when it finds fewer than `wanted`; else None.

    The query asks, per slot, for one of the texts any tier accepts (a town's words one by one, since
    the contains tier takes them apart); when it finds them all, each tier is the part of the answer
    that meets the tier's own conditions, in the same order as its own query would give. When it
    finds `wanted` or more, nothing is added and the tiers run one by one. Only for up to eight
    distinct words (then the contains tier's words and the slots' words are the same) and when the
    index can answer it (a text of three characters or more in every alternative of some slot).
    """
    typo_options = plan.corrections()
    if all(len(options) == 1 for options in typo_options):
        return None  # no town has another name, no word a correction: the contains tier alone
    groups: list[list[str]] = []
    for options in typo_options:
        phrase = options[0][0]
        others = [needle for needle, _ in options[1:]]
        for part in phrase.split(" ") if " " in phrase else [phrase]:
            groups.append(list(dict.fromkeys([part, *others])))
    if not any(all(len(text) >= 3 for text in group) for group in groups):
        return None
    rows = backend.any_of_rows(groups, wanted)
    if rows is None or len(rows) >= wanted:
        return None
    texts = dict(rows)
    ids = [ident for ident, _ in rows]
    literal = [i for i in ids if all(word in texts[i] for word in plan.query_words)]
    found.update(dict.fromkeys(_tier(found, literal, plan.whole_words, texts)))
    if len(found) < limit and any(len(options) > 1 for options in plan.town_options):
        holds = _holds_all(plan.town_options)
        town = [i for i in ids if holds(texts[i])]
        found.update(dict.fromkeys(_tier(found, town, _alternatives_score(plan.town_options), texts)))
    if len(found) >= limit:
        return []
    return _typo_found(found, plan, [i for i in ids if _holds_all(typo_options)(texts[i])], limit, texts)


def _typo_tier(backend: Any, found: dict[int, None], plan: _Plan, limit: int, wanted: int, blocked_only: bool) -> list[str]:
    """Add the customers found with typo corrections of single words to found; return the corrections shown."""
    typo_options = plan.corrections()
    if all(len(options) == len(plain) for options, plain in zip(typo_options, plan.town_options)):
        return []
    groups = [list(dict.fromkeys(text for text, _ in options)) for options in typo_options]
    return _typo_found(found, plan, backend.any_of_ids(groups, wanted, blocked_only), limit, None)


def _typo_found(found: dict[int, None], plan: _Plan, raw: list[int], limit: int, texts: dict[int, str] | None) -> list[str]:
    """Add the typo tier's new ids (raw: its matches) to found; return the corrections the page shows."""
    typo_options = plan.corrections()
    if all(len(options) == len(plain) for options, plain in zip(typo_options, plan.town_options)):
        return []
    new = _tier(found, raw, _alternatives_score(typo_options), texts)
    corrections = sorted({text for options, plain in zip(typo_options, plan.town_options) for text, _ in options[len(plain):]})
    used: list[str] = []
    shown = new[:max(0, limit - len(found))]
    bodies = texts if texts is not None else _texts(shown)
    for body in (bodies[i] for i in shown if i in bodies):
        used += [known for known in corrections if known in body and known not in used]
    found.update(dict.fromkeys(new))
    return used


_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")  # NUL and lone surrogates: no database can take them


def _match(text: str, limit: int, blocked_only: bool) -> Match:
    """The ranked match of a query (empty when it holds no letter or digit)."""
    text = _UNSTORABLE.sub("", text or "")
    query_words = words(text)
    if not query_words:
        return Match()
    return _engine_ids(text, query_words, limit, blocked_only)


@data_function
def matching_ids(text: str, limit: int, blocked_only: bool = False) -> list[int]:
    """Ids of matching customers in rank order: exact, name prefix, any field contains, town names, typos."""
    return _match(text, limit, blocked_only).ids


def searchable(text: str) -> bool:
    """False when the text holds something but no letter or digit of any script (only punctuation, emoji)."""
    return not (text or "").strip() or bool(words(_UNSTORABLE.sub("", text)))


def _summaries(ids: list[int]) -> list[dict[str, Any]]:
    """Search result rows for ids, kept in the given order."""
    if not ids:
        return []
    backend = session.engine().search
    to_date, to_stamp = Customer.blocked_until.python_value, Customer.updated_at.python_value
    rows = {}
    for values in backend.summaries(ids):
        row = dict(zip(backend.SUMMARY_COLUMNS, values))
        row["blocked_until"], row["updated_at"] = to_date(row["blocked_until"]), to_stamp(row["updated_at"])
        rows[row["id"]] = row
    today = clock.today()
    result = []
    for ident in ids:
        row = rows.get(ident)
        if row is None:
            continue
        until = row.pop("blocked_until")
        row["blocked"] = block_active({"blocked": row["blocked"], "blocked_until": until}, today)
        row["blocked_until"] = until
        result.append(row)
    twins = _blocked_vat_numbers({row["vat_number"] for row in result if row["vat_number"] and not row["blocked"]})
    for row in result:
        row["vat_blocked"] = not row["blocked"] and row["vat_number"] in twins
    return [visible_values(row) for row in result]


def _blocked_vat_numbers(vat_numbers: set[str]) -> set[str]:
    """Those of the given BTW-nummers that belong to a customer blocked today (one query)."""
    return session.engine().search.blocked_vat_numbers(sorted(vat_numbers))


@data_function
def recent(limit: int = 50, blocked_only: bool = False) -> list[dict[str, Any]]:
    """The most recently changed customers (what an empty search shows)."""
    return _summaries(session.engine().search.recent_ids(limit, blocked_only))


@data_function
def search(text: str, limit: int = 50, blocked_only: bool = False) -> list[dict[str, Any]]:
    """Customers matching text in rank order; an empty query gives the most recently changed, one without
    a letter or digit (only punctuation or emoji) none."""
    return search_page(text, 0, limit, blocked_only)["rows"]


@data_function
def search_page(text: str, offset: int = 0, limit: int = 50, blocked_only: bool = False) -> dict[str, Any]:
    """One page of results: {"rows", "corrections" (known words a typo was taken for), "ignored" (query words
    the last results lack), "searchable"}."""
    limit = max(1, min(int(limit), 1000))
    offset = max(0, min(int(offset), 100_000))
    text = _UNSTORABLE.sub("", text or "")
    if not text.strip():
        ids = session.engine().search.recent_ids(offset + limit, blocked_only)[offset:]
        return {"rows": _summaries(ids), "corrections": [], "ignored": [], "searchable": True}
    if not searchable(text):
        return {"rows": [], "corrections": [], "ignored": [], "searchable": False}
    found = _match(text, offset + limit, blocked_only)
    return {"rows": _summaries(found.ids[offset:]), "corrections": found.corrections, "ignored": found.ignored,
            "searchable": True}


@data_function
def count(text: str, cap: int = 1000, blocked_only: bool = False) -> int:
    """How many customers match, counted up to cap + 1 (more means 'meer dan cap')."""
    if not _UNSTORABLE.sub("", text or "").strip():
        query = Customer.select(Customer.id)
        if blocked_only:
            query = query.where(active_block_filter())
        return query.limit(cap + 1).count()
    return len(matching_ids(text, cap + 1, blocked_only))
