"""The support log: the traceback of every unexpected error, in a rotating file only its user can read.

The file is `support.log` in `platformdirs.user_log_dir("klantbeheer")` (or KLANTBEHEER_LOG_DIR), mode 0600,
rotated at 1 MB with 5 old files kept. It holds what support needs and no customer data beyond record numbers:
the time, the version, the command's name (never its arguments), the exception's type and where it was raised
(file, line, function, source line). Exception messages are scrubbed: only their first line, with every quoted
part, e-mail address and server DETAIL removed, because a driver or a `ValueError` may quote a stored value.
Locals are never written.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

LOG_DIR_ENV = "KLANTBEHEER_LOG_DIR"
FILE_NAME = "support.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»|“[^”]*”|‘[^’]*’|`[^`]*`")
_EMAIL = re.compile(r"\S+@\S+")
_DETAIL = re.compile(r"\s*(DETAIL|HINT|CONTEXT|LINE \d+):.*", re.S)
_MAX_MESSAGE = 200

_lock = threading.Lock()
_state: dict[str, object] = {"command": "tui", "echo": False, "logger": None}


def configure(command: str | None, echo: bool = False) -> None:
    """Remember the running command's name (only the name) and whether --debug echoes tracebacks on stderr."""
    _state["command"] = command or "tui"
    _state["echo"] = echo


def echoing() -> bool:
    """Whether --debug asked for tracebacks on stderr too."""
    return bool(_state["echo"])


def log_dir() -> Path:
    """Where the support log lives: KLANTBEHEER_LOG_DIR, else the user's log directory."""
    chosen = os.environ.get(LOG_DIR_ENV, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return Path(platformdirs.user_log_dir("klantbeheer", appauthor=False))


def log_path() -> Path:
    """The current support log file."""
    return log_dir() / FILE_NAME


def record(problem: BaseException, where: str = "") -> Path | None:
    """Write `problem`'s scrubbed traceback to the support log (once per error); its path, or None when it could not."""
    already = getattr(problem, "_klantbeheer_logged", None)
    if already is not None:
        return already
    if _state["echo"] and _state["command"] != "tui":  # in the TUI the screen owns the terminal; its crash shows Textual's traceback
        try:
            sys.__stderr__.write("".join(traceback.format_exception(problem)))
            sys.__stderr__.flush()
        except (OSError, ValueError, AttributeError):
            pass
    try:
        logger = _logger()
        logger.error("%s", report(problem, where))
        for handler in logger.handlers:
            handler.flush()
        path = Path(logger.handlers[0].baseFilename)  # type: ignore[attr-defined]
    except OSError:  # a full or read-only disk may be the very problem: the user still gets a sentence
        return None
    try:
        problem._klantbeheer_logged = path  # type: ignore[attr-defined]
    except AttributeError:
        pass
    return path


def report(problem: BaseException, where: str = "") -> str:
    """The log entry for one error: context lines, then each chained exception's frames and scrubbed type line."""
    from klantbeheer.data import version

    lines = [f"command: {_state['command']}" + (f" ({where})" if where else ""), f"version: {version.current()}",
             f"python: {sys.version.split()[0]} on {sys.platform}"]
    for exception in reversed(_chain(problem)):
        lines += _frames(exception.__traceback__)
        lines.append(scrubbed_line(exception))
    return "\n".join(lines)


def scrubbed_line(problem: BaseException) -> str:
    """"module.Type: message" with the message scrubbed of anything that may quote stored data."""
    kind = type(problem)
    name = kind.__qualname__ if kind.__module__ in ("builtins", "__main__") else f"{kind.__module__}.{kind.__qualname__}"
    if isinstance(problem, OSError) and problem.errno is not None:
        import errno

        return f"{name}: [{errno.errorcode.get(problem.errno, problem.errno)}] {problem.strerror or ''}".rstrip()
    message = scrub(str(problem))
    return f"{name}: {message}" if message else name


def scrub(message: str) -> str:
    """The first line of a message, without quoted parts, e-mail addresses, server details or long text."""
    text = _DETAIL.sub("", message).strip().splitlines()[0] if message.strip() else ""
    text = _EMAIL.sub("<…>", _QUOTED.sub("<…>", text))
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE] + "…"


def _chain(problem: BaseException) -> list[BaseException]:
    """The exception and its causes/contexts, newest first (at most 10; a cycle ends the walk)."""
    seen: list[BaseException] = []
    current: BaseException | None = problem
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return seen


def _frames(tb: TracebackType | None) -> list[str]:
    """Traceback lines (file, line, function and the source line; never locals)."""
    if tb is None:
        return []
    lines = ["Traceback (most recent call last):"]
    for frame in traceback.extract_tb(tb):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    return lines


def _logger() -> logging.Logger:
    """The support logger with its rotating file handler (made on first use: no file until something goes wrong)."""
    with _lock:
        logger = _state["logger"]
        path = log_path()
        if isinstance(logger, logging.Logger) and Path(logger.handlers[0].baseFilename) == path.absolute():  # type: ignore[attr-defined]
            return logger
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        os.chmod(path, 0o600)
        handler = _PrivateRotatingHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        handler.setFormatter(_Formatter("%(asctime)s %(levelname)s pid %(process)d\n%(message)s\n"))
        logger = logging.getLogger("klantbeheer.support")
        for old in list(logger.handlers):
            logger.removeHandler(old)
            old.close()
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        _state["logger"] = logger
        return logger


class _PrivateRotatingHandler(RotatingFileHandler):
    """A RotatingFileHandler whose new files are created 0600 too."""

    def _open(self):  # type: ignore[no-untyped-def]
        """Open the log file readable by its owner only."""
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


class _Formatter(logging.Formatter):
    """Timestamps in UTC with an offset, so support can line up logs from machines in other zones."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - logging's name
        """The record's time as ISO 8601 UTC."""
        return dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="seconds")
