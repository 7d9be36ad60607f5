"""Numbered schema migrations; a database is brought to LATEST on open, a newer one refused.

Each step is a module with one function per engine (`sqlite(db)`, `postgresql(db)`); the engine's
name picks it. Steps are frozen: they carry their own SQL and never call today's code.
"""
from __future__ import annotations

from types import ModuleType

from klantbeheer.data.migrations import (
    m0001_initial,
    m0002_search_index,
    m0003_search_index_v3,
    m0004_history_insert_guard,
    m0005_dossier_number_width,
    m0006_drafts,
    m0007_block_follows_customer,
    m0008_search_words,
    m0009_imports,
    m0010_reference_lists,
    m0011_staff_language,
    m0012_search_word_grants,
    m0013_builtin_translations,
    m0014_staff_passwords,
    m0015_postgres_guards,
    m0016_twin_release_guard,
    m0017_dossier_history,
)

MIGRATIONS: list[ModuleType] = [
    m0001_initial, m0002_search_index, m0003_search_index_v3, m0004_history_insert_guard, m0005_dossier_number_width,
    m0006_drafts,
    m0007_block_follows_customer, m0008_search_words,
    m0009_imports,
    m0010_reference_lists,
    m0011_staff_language,
    m0012_search_word_grants,
    m0013_builtin_translations,
    m0014_staff_passwords,
    m0015_postgres_guards,
    m0016_twin_release_guard,
    m0017_dossier_history,
]
LATEST = len(MIGRATIONS)
