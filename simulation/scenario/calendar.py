"""Months as the model's unit of time.

A scenario names months as ``"YYYY-MM"`` strings. Internally a month is an integer count
``12 * year + (month - 1)`` so that month arithmetic is plain integer arithmetic.
"""

from __future__ import annotations

import re

# ASCII digits only: ``\d`` also matches Arabic-Indic and other digits, which int() reads.
_MONTH_PATTERN = re.compile(r"([0-9]{4})-([0-9]{2})")


def parse_month(text: str) -> int:
    """Turn ``"YYYY-MM"`` into an integer month index.

    Args:
        text: A month such as ``"1936-08"``.

    Returns:
        ``12 * year + month - 1``.

    Raises:
        ValueError: If the text is not a valid ``YYYY-MM`` month.
    """
    match = _MONTH_PATTERN.fullmatch(str(text).strip())
    if not match:
        raise ValueError(f"{text!r} is not a month; write it as YYYY-MM, e.g. 1936-08")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} has month {month}; months run from 01 to 12")
    return 12 * year + month - 1


def format_month(index: int) -> str:
    """Turn an integer month index back into ``"YYYY-MM"``.

    Args:
        index: A month index as returned by :func:`parse_month`.

    Returns:
        The month as ``"YYYY-MM"``.
    """
    year, month0 = divmod(int(index), 12)
    return f"{year:04d}-{month0 + 1:02d}"


def month_range(start: int, end: int) -> list[str]:
    """List the months from ``start`` to ``end`` inclusive as ``"YYYY-MM"`` strings."""
    return [format_month(m) for m in range(start, end + 1)]
