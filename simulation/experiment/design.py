"""Experimental designs: lists of parameter points, and the run specifications they make.

A *design point* is a mapping from dotted key paths (``policy.tolerance``) to values. A design
is a list of points: a full factorial :func:`grid`, a :func:`latin_hypercube` sample over
ranges, or a table read by :func:`read_design`. :func:`make_specs` turns a scenario and a design
into :class:`~simulation.experiment.spec.RunSpec` objects under common random numbers: replicate
``k`` of every point uses the same seed, so the differences between points are the parameters'
doing, not the luck of the draw.

``--param`` specifications (:func:`parse_param`) come in three forms::

    policy.tolerance=0:1:11       a grid: 11 levels from 0 to 1, both ends included
    policy.tolerance=0:1          a range, for Latin hypercube and sensitivity designs
    policy.tolerance=0.1,0.2,0.5  an explicit list of levels

Every mistake is a :class:`DesignError`: one line naming the spec, file or point and what is
allowed. It subclasses :class:`~simulation.scenario.ScenarioError`, so the command line reports
it like any scenario mistake (exit code 2).
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import qmc

from simulation.experiment.spec import RunSpec
from simulation.model.rng import replicate_seeds
from simulation.scenario import Scenario, ScenarioError, resolve_scenario
from simulation.scenario.checks import ascii_decimal, ascii_whole, read_text
from simulation.scenario.schema import NO_SETTING, setting_at

#: How a ``--param`` may be written, quoted in error messages.
PARAM_FORMS = "KEY=LOW:HIGH:COUNT (grid), KEY=LOW:HIGH (range) or KEY=V1,V2,... (list)"

#: A grid's COUNT: ASCII digits (``str.isdigit`` also accepts other scripts' digits).
_WHOLE_COUNT = re.compile(r"[0-9]+")

#: A design point: dotted key path -> value.
Point = dict[str, float]


class DesignError(ScenarioError):
    """A mistake in a design (a ``--param`` spec, a design file or a point), as one line.

    Attributes:
        source: The ``--param`` spec, the design file or the design point that is wrong.
        key: Dotted key path of the bad value ("" when the whole source is wrong).
        message: What is wrong and what is allowed.
    """


@dataclass(frozen=True)
class Param:
    """One parsed ``--param`` specification.

    Attributes:
        key: Dotted key path of the scenario value varied.
        low: Lowest value.
        high: Highest value.
        levels: The grid or list levels; ``None`` for a bare range (no levels).
        text: The specification as written, for error messages.
    """

    key: str
    low: float
    high: float
    levels: tuple[float, ...] | None
    text: str

    @property
    def bounds(self) -> tuple[float, float]:
        """``(low, high)``, for Latin hypercube and sensitivity designs."""
        return (self.low, self.high)


def _number(text: str, spec: str) -> float:
    try:
        value = ascii_decimal(text)
    except ValueError:
        raise DesignError(
            f"--param {spec}",
            "",
            f"{text.strip()!r} is not a finite number in digits 0-9; write {PARAM_FORMS}",
        ) from None
    if not math.isfinite(value):  # digits can still overflow: 1e999
        raise DesignError(f"--param {spec}", "", f"{text.strip()!r} must be a finite number")
    return value


def level_count(text: str) -> int | None:
    """How many levels a ``--param`` spec has, read without making them.

    A grid of ``10**20`` levels must be refused by its size before its levels are made, so
    the count is read from the text alone; a malformed spec counts 1 and is reported by
    :func:`parse_param`.

    Returns:
        The number of levels; ``None`` for a bare range (``KEY=LOW:HIGH``).
    """
    value = text.partition("=")[2]
    parts = value.split(":")
    if len(parts) == 2:
        return None
    if len(parts) == 3:
        try:
            return max(1, ascii_whole(parts[2]))
        except ValueError:
            return 1
    return value.count(",") + 1


#: Most levels one ``--param`` may have (a grid of more cannot be run on any machine).
MAX_LEVELS = 100_000


def parse_param(text: str, scenario: Scenario | None = None) -> Param:
    """Parse a ``--param`` specification, checking its values against a scenario.

    Args:
        text: ``KEY=LOW:HIGH:COUNT``, ``KEY=LOW:HIGH`` or ``KEY=V1,V2,...``.
        scenario: When given, the key path must exist in it and every level (or both ends of a
            range) must be allowed there; integer settings get their levels rounded.

    Returns:
        The parsed specification.

    Raises:
        DesignError: If the spec is malformed, a range is empty, a count is below 2, or the
            key or a value is not allowed in the scenario.
    """
    source = f"--param {text}"
    key, sep, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not key or not value:
        raise DesignError(source, "", f"write {PARAM_FORMS}")
    if ":" in value:
        parts = value.split(":")
        if len(parts) > 3:
            raise DesignError(source, "", f"too many ':'; write {PARAM_FORMS}")
        low, high = _number(parts[0], text), _number(parts[1], text)
        if low >= high:
            raise DesignError(source, key, f"LOW ({low:g}) must be below HIGH ({high:g})")
        levels: tuple[float, ...] | None = None
        if len(parts) == 3:
            count = parts[2].strip()
            if not _WHOLE_COUNT.fullmatch(count) or int(count) < 2:
                raise DesignError(
                    source, key, f"COUNT {count!r} must be a whole number of at least 2"
                )
            if int(count) > MAX_LEVELS:
                # Refused before the levels are made: a list of 10^20 numbers cannot be held.
                raise DesignError(
                    source, key, f"COUNT {count} is too many levels; at most {MAX_LEVELS:,}"
                )
            levels = tuple(float(v) for v in np.linspace(low, high, int(count)))
    else:
        levels = tuple(_number(part, text) for part in value.split(","))
        if len(set(levels)) < len(levels):
            raise DesignError(source, key, "a list of levels must not repeat a value")
        low, high = min(levels), max(levels)
    if scenario is not None:
        checked = levels if levels is not None else (low, high)
        levels_checked = tuple(_checked_value(scenario, key, v, source) for v in checked)
        if levels is not None:
            # Rounding an integer setting's levels may merge neighbours; keep each once.
            levels = tuple(dict.fromkeys(levels_checked))
    return Param(key=key, low=low, high=high, levels=levels, text=text)


def _current_value(scenario: Scenario, key: str) -> Any:
    """The scenario's value at a dotted key path, or ``None`` if there is none."""
    value = setting_at(scenario.model_dump(mode="python"), key)
    return None if value is NO_SETTING else value


def coerce_value(scenario: Scenario, key: str, value: float) -> float | int:
    """Round a value to a whole number where the scenario's setting is one (e.g. a size).

    Latin hypercube and grid levels are real numbers; a whole-number setting would reject
    ``412.7`` members, so the value is rounded to the nearest integer instead.
    """
    current = _current_value(scenario, key)
    if isinstance(current, int) and not isinstance(current, bool):
        return round(float(value))
    return float(value)


def _checked_value(scenario: Scenario, key: str, value: float, source: str) -> float | int:
    """Coerce a value and check that the scenario accepts it at ``key``."""
    coerced = coerce_value(scenario, key, value)
    try:
        resolve_scenario(scenario, {key: coerced})
    except ScenarioError as error:
        where = error.key or key
        raise DesignError(source, where, error.message) from None
    return coerced


def bounds_of(params: Sequence[Param]) -> dict[str, tuple[float, float]]:
    """The ``(low, high)`` range of each parameter, by key, in the order given.

    Raises:
        DesignError: If a key is given twice.
    """
    _check_unique(params)
    return {param.key: param.bounds for param in params}


def _check_unique(params: Sequence[Param]) -> None:
    keys = [param.key for param in params]
    for param in params:
        if keys.count(param.key) > 1:
            raise DesignError(f"--param {param.text}", param.key, "is given more than once")


def grid(params: Sequence[Param]) -> list[Point]:
    """The full factorial design over the parameters' levels.

    Points are in row-major order: the first parameter varies slowest and the last fastest,
    as in nested loops written in the order the parameters were given.

    Args:
        params: Parameters with levels (grids or lists).

    Returns:
        One point per combination of levels.

    Raises:
        DesignError: If no parameter is given, a key repeats, or a parameter is a bare range.
    """
    if not params:
        raise DesignError("--param", "", f"give at least one parameter: {PARAM_FORMS}")
    _check_unique(params)
    for param in params:
        if param.levels is None:
            raise DesignError(
                f"--param {param.text}",
                param.key,
                "a grid needs levels: add a count (LOW:HIGH:COUNT) or list values, "
                "or sample the range with --lhs N",
            )
    keys = [param.key for param in params]
    levels = [param.levels for param in params]
    return [dict(zip(keys, combination, strict=True)) for combination in itertools.product(*levels)]


def latin_hypercube(
    ranges: Mapping[str, tuple[float, float]], n: int, seed: int | None = None
) -> list[Point]:
    """A Latin hypercube sample of ``n`` points over the ranges.

    Each range is cut into ``n`` equal strata and every stratum holds exactly one point, in
    every dimension; the same seed gives the same points.

    Args:
        ranges: ``(low, high)`` by key path.
        n: Number of points (at least 1).
        seed: Seed of the sampler.

    Returns:
        ``n`` points.

    Raises:
        DesignError: If ``n`` is below 1, no range is given, or a range is empty.
    """
    if n < 1:
        raise DesignError("--lhs", "", f"the number of points must be at least 1, not {n}")
    if not ranges:
        raise DesignError("--lhs", "", f"give at least one parameter range: {PARAM_FORMS}")
    for key, (low, high) in ranges.items():
        if not low < high:
            raise DesignError("--lhs", key, f"LOW ({low:g}) must be below HIGH ({high:g})")
    generator = np.random.default_rng(seed)
    try:
        sampler = qmc.LatinHypercube(d=len(ranges), rng=generator)
    except TypeError:  # SciPy before 1.15 calls the generator ``seed``
        sampler = qmc.LatinHypercube(d=len(ranges), seed=generator)
    lows = [low for low, _ in ranges.values()]
    highs = [high for _, high in ranges.values()]
    unit = sampler.random(n)
    scaled = qmc.scale(unit, lows, highs)
    keys = list(ranges)
    return [{key: float(v) for key, v in zip(keys, row, strict=True)} for row in scaled]


def read_design(path: str | Path, scenario: Scenario | None = None) -> list[Point]:
    """Read a design from a CSV file: a header of key paths, one point per row.

    Args:
        path: The CSV file (UTF-8).
        scenario: When given, every column must be a settable key in it.

    Returns:
        The points, in file order.

    Raises:
        DesignError: If the file is missing, not UTF-8 or empty, has no rows, a row is not
            as wide as the header, a cell is not a number, or a column is not a key of the
            scenario.
    """
    source = str(path)
    if not Path(path).is_file():
        raise DesignError(source, "", "no such design file")
    try:
        text = read_text(path, "design file")
    except ScenarioError as error:
        raise DesignError(error.source, error.key, error.message) from None
    try:
        reader = csv.reader(io.StringIO(text))
        # Each row with the file line it ends on; blank lines are skipped.
        rows = [(row, reader.line_num) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise DesignError(source, "", f"cannot be read as CSV: {error}") from None
    if not rows:
        raise DesignError(
            source, "", "is empty; write a header of key paths, then one row per point"
        )
    header = [column.strip() for column in rows[0][0]]
    if len(rows) == 1:
        raise DesignError(source, "", "has a header but no rows; write one row per point")
    if not all(header) or len(set(header)) < len(header):
        raise DesignError(source, "", "every column needs a key path of its own in the header")
    points: list[Point] = []
    for row, line in rows[1:]:
        if len(row) != len(header):
            raise DesignError(
                f"{source}: line {line}",
                "",
                f"has {len(row)} value{'s' if len(row) != 1 else ''}; the header has "
                f"{len(header)} columns",
            )
        point: Point = {}
        for key, cell in zip(header, row, strict=True):
            try:
                point[key] = ascii_decimal(cell)
            except ValueError:
                shown = "an empty cell" if not cell.strip() else repr(cell.strip())
                raise DesignError(
                    f"{source}: line {line}", key, f"{shown} is not a number"
                ) from None
        points.append(point)
    if scenario is not None:
        for key in header:
            _checked_value(scenario, key, points[0][key], source)
    return points


def make_specs(
    scenario: Scenario,
    points: Sequence[Mapping[str, float]],
    replicates: int,
    seed: int,
) -> list[RunSpec]:
    """The runs of a design: every point, each over the same replicate seeds.

    Args:
        scenario: The base scenario (with any ``--set`` overrides already applied).
        points: The design points.
        replicates: Replicates per point (at least 1).
        seed: The experiment's seed; replicate seeds derive from it.

    Returns:
        Specs ordered by point, then replicate; replicate ``k`` of every point has the same
        seed (common random numbers).

    Raises:
        DesignError: If there are no points, ``replicates`` is below 1, or a point's value is
            not allowed (naming the point and key).
    """
    if replicates < 1:
        raise DesignError("--replicates", "", f"must be at least 1, not {replicates}")
    if not points:
        raise DesignError("design", "", "has no points")
    seeds = replicate_seeds(seed, replicates)
    specs: list[RunSpec] = []
    for number, point in enumerate(points):
        values = {key: coerce_value(scenario, key, value) for key, value in point.items()}
        try:
            resolved = resolve_scenario(scenario, values)
        except ScenarioError as error:
            shown = ", ".join(f"{key}={value:g}" for key, value in values.items())
            raise DesignError(
                f"design point {number} ({shown})", error.key, error.message
            ) from None
        specs += [
            RunSpec(scenario=resolved, seed=s, replicate=k, point=number, parameters=values)
            for k, s in enumerate(seeds)
        ]
    return specs
