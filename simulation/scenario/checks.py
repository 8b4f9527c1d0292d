"""Checks every input passes before any work starts: text, names, nesting and numbers.

A scenario file, the file it ``extends``, a ``--design`` CSV and every number typed on the
command line pass through here, so that a mistake is reported once, in one way: a
:class:`ScenarioError` naming the file (or option), where in it, and what is allowed. Each check
guards against a failure that would otherwise surface far from its cause, as a traceback:

- text that is not UTF-8 (a latin-1 or UTF-16 file, a stray ``0xff`` byte) is refused with the
  byte's position, instead of a ``UnicodeDecodeError`` inside the TOML or CSV parser;
- a scenario name that names no file (``""``, ``/``, ``.``) is refused before a path is built
  from it;
- tables or arrays nested deeper than any scenario needs are refused, and the parser's own
  recursion limit is caught and reported (a scenario's deepest key, ``events.N.set.ladder.x``,
  is four tables down; :data:`MAX_NESTING` leaves room);
- numbers on the command line are read from ASCII digits only (Python's ``int`` and ``float``
  also accept Arabic-Indic digits and ``1_000``, which no TOML file accepts).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: How deep tables and arrays may nest in a scenario file or a ``--set`` value.
MAX_NESTING = 16
#: How many files an ``extends`` chain may hold (the shipped chains hold two or three).
MAX_EXTENDS = 32

_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_WHOLE = re.compile(r"[+-]?[0-9]+")


class ScenarioError(ValueError):
    """A mistake in a scenario file, an override or another input, reported as one line.

    Attributes:
        source: The file, or the option (``--set KEY``), where the mistake is.
        key: Dotted key path of the bad value ("" when the whole source is wrong).
        message: What is wrong and what is allowed.
        problems: Every problem found, this one first, each a one-line error of its own
            (``validate`` and ``--all`` print them all; the line of this error counts the
            others).
    """

    def __init__(
        self,
        source: str,
        key: str,
        message: str,
        problems: tuple[ScenarioError, ...] = (),
    ) -> None:
        self.source, self.key, self.message = source, key, message
        self.problems: tuple[ScenarioError, ...] = problems or (self,)
        where = f"{source}: {key}: " if key else f"{source}: "
        more = len(self.problems) - 1
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''}; --all lists them)"
        super().__init__(where + message)

    def lines(self) -> list[str]:
        """Every problem as its own line, this one first."""
        return [str(problem) for problem in self.problems]


def read_text(path: str | Path, what: str = "file") -> str:
    """Read a file as UTF-8 text (a leading byte-order mark is dropped).

    Args:
        path: The file.
        what: What the file is, for the message (``"scenario file"``, ``"design file"``).

    Returns:
        The text.

    Raises:
        ScenarioError: If the file cannot be read or is not UTF-8, naming the first bad byte.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ScenarioError(str(path), "", f"cannot be read: {error.strerror or error}") from None
    except ValueError as error:  # an embedded NUL byte in the path
        raise ScenarioError(repr(str(path)), "", f"is not a usable file name: {error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = data[error.start]
        hint = " (it looks like UTF-16)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        line = data.count(b"\n", 0, error.start) + 1
        raise ScenarioError(
            str(path),
            "",
            f"is not UTF-8 text{hint}: byte 0x{bad:02x} at position {error.start} "
            f"(line {line}); save the {what} as UTF-8",
        ) from None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text, refusing nesting deeper than :data:`MAX_NESTING`.

    Args:
        text: The TOML document.
        source: The file or option it came from, for the message.

    Returns:
        The parsed tables.

    Raises:
        ScenarioError: If the text is not TOML or nests too deeply.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(source, "", f"not valid TOML: {error}") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        too_deep = _too_deep("deeper than the TOML reader can follow")
        raise ScenarioError(source, "", too_deep) from None
    check_nesting(data, source)
    return data


def check_nesting(value: Any, source: str, key: str = "") -> None:
    """Refuse tables or arrays nested deeper than :data:`MAX_NESTING` (walked without recursion).

    Raises:
        ScenarioError: Naming the first key path that goes too deep.
    """
    stack: list[tuple[Any, str, int]] = [(value, key, 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_NESTING:
            raise ScenarioError(source, path, _too_deep(f"more than {MAX_NESTING} levels deep"))
        if isinstance(node, Mapping):
            children = [(v, f"{path}.{k}" if path else str(k)) for k, v in node.items()]
        elif isinstance(node, list | tuple):
            children = [(v, f"{path}.{n}" if path else str(n)) for n, v in enumerate(node)]
        else:
            continue
        stack.extend((child, where, depth + 1) for child, where in children)


def _too_deep(how: str) -> str:
    return (
        f"tables or arrays nest {how}; allowed: at most {MAX_NESTING} levels "
        "(a scenario needs five)"
    )


def check_scenario_name(text: str) -> None:
    """Refuse a scenario argument that cannot name a file: empty, a root, ``.`` or ``..``.

    Raises:
        ScenarioError: If the text names no file.
    """
    if "\x00" in text:
        raise ScenarioError(repr(text), "", "a file name cannot hold a NUL byte")
    if not text.strip() or Path(text).name in ("", ".", ".."):
        raise ScenarioError(
            repr(text), "", "is not a scenario: give a scenario name or a TOML file's path"
        )


def ascii_decimal(text: str) -> float:
    """A number written in ASCII digits (``0.5``, ``-1e3``); ``inf`` and ``nan`` are refused.

    Raises:
        ValueError: If the text is not such a number.
    """
    return float(_ascii(text, _DECIMAL, "a number"))


def ascii_whole(text: str) -> int:
    """A whole number written in ASCII digits (``12``, ``-3``).

    Raises:
        ValueError: If the text is not such a number.
    """
    return int(_ascii(text, _WHOLE, "a whole number"))


def _ascii(text: str, pattern: re.Pattern[str], what: str) -> str:
    stripped = text.strip()
    if not pattern.fullmatch(stripped):
        raise ValueError(f"{stripped!r} is not {what} written in digits 0-9")
    return stripped
