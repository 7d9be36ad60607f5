"""The installed Klantbeheer version (from the package metadata)."""
from __future__ import annotations

from importlib import metadata


def current() -> str:
    """The version of the installed distribution, or "unknown" when run from a checkout without metadata."""
    try:
        return metadata.version("klantbeheer")
    except metadata.PackageNotFoundError:
        return "unknown"
