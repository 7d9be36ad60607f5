"""What a command prints: JSON with --json, else its Dutch text."""
from __future__ import annotations

import argparse
from typing import Any

from klantbeheer.data.cli.format import to_json


def say(args: argparse.Namespace, value: Any, text: str) -> None:
    """Print JSON when asked, else the plain text."""
    print(to_json(value) if getattr(args, "json", False) else text)
