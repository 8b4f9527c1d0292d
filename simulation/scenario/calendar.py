"""Months as the model's unit of time.

A scenario names months as ``"YYYY-MM"`` strings. Internally a month is an integer count
``12 * year + (month - 1)`` so that month arithmetic is plain integer arithmetic. Tables handed
to the user (outcomes, experiment runs) carry the ``month`` column as pandas monthly periods
(:data:`MONTH_DTYPE`), so that plots get a time axis and months sort and compare as time; files
on disk keep the ``"YYYY-MM"`` text, which any program reads (:func:`with_month_text`,
:func:`with_month_periods`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: The column that holds the month in every outcome table.
MONTH_COLUMN = "month"
#: The pandas dtype of that column in the tables the API returns (``pd.PeriodDtype("M")``).
MONTH_DTYPE = "period[M]"

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


def month_periods(months: pd.Series | pd.Index) -> pd.Series:
    """Months as pandas monthly periods, from ``"YYYY-MM"`` text or periods already.

    Args:
        months: A column of months.

    Returns:
        The same months as a :data:`MONTH_DTYPE` series (index kept when a series is given).
    """
    # pandas is imported here, not at the top: loading a scenario must not need it.
    import pandas as pd

    if isinstance(getattr(months, "dtype", None), pd.PeriodDtype):
        return pd.Series(months).astype(MONTH_DTYPE)
    series = months if isinstance(months, pd.Series) else pd.Series(months)
    return series.astype(str).astype(MONTH_DTYPE)


def with_month_periods(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with its ``month`` column as monthly periods (unchanged without one)."""
    if MONTH_COLUMN not in frame.columns:
        return frame
    return frame.assign(**{MONTH_COLUMN: month_periods(frame[MONTH_COLUMN])})


def with_month_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with its ``month`` column as ``"YYYY-MM"`` text, as files store it."""
    import pandas as pd

    column = frame.get(MONTH_COLUMN)
    if column is None or not isinstance(column.dtype, pd.PeriodDtype):
        return frame
    return frame.assign(**{MONTH_COLUMN: column.dt.strftime("%Y-%m").astype(str)})
