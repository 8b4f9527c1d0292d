"""The world's data: the countries, their figures and their neighbours, read and checked.

Three files in the shipped ``data/`` folder (their sources and statuses in data/README.md):

- ``world_map.csv``: the roster (code, name, label, role) and each country's tile on the
  schematic map (``col``, ``row``);
- ``countries.csv``: dated figures, one a row, each with its source and status
  (``[V]``, ``[D]``, ``[U]``);
- ``neighbours.csv``: the frontiers of about 1930 and the model's sea links, each once.

A broken file raises :class:`WorldDataError` naming the file, the line, the column and what is
allowed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulation.scenario.calendar import parse_month
from simulation.shipped import shipped_folder

ROSTER_FILE = "world_map.csv"
FIGURES_FILE = "countries.csv"
NEIGHBOURS_FILE = "neighbours.csv"
#: The status tags a source must begin with (data/README.md).
STATUSES = ("[V]", "[D]", "[U]")
ROLES = ("soviet", "europe", "outside_power")
EDGE_KINDS = ("land", "sea")
METRICS = (
    "lon",
    "lat",
    "population_thousands",
    "communist_vote_pct",
    "communist_strength_pct",
    "communist_members",
    "right_vote_pct",
    "right_strength_pct",
    "hostility_pct",
    "right_takes_power",
    "right_loses_power",
    "communist_takes_power",
    "communist_loses_power",
    "communist_rising_fails",
)
#: The states a country can be in.
STATES = ("communist", "right", "other")


class WorldDataError(ValueError):
    """A world data file that cannot be used; the message names file, line and column."""


@dataclass(frozen=True)
class Figure:
    """One dated figure of ``countries.csv``."""

    country: str
    metric: str
    month: int
    value: float
    source: str


@dataclass(frozen=True)
class Tile:
    """A country of the roster and its tile on the schematic map."""

    country: str
    name: str
    label: str
    role: str
    col: int
    row: int


@dataclass(frozen=True)
class Edge:
    """A frontier (``land``) or a model sea link (``sea``) between two countries."""

    country: str
    other: str
    kind: str
    source: str


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file with exactly ``columns``, each with its line number."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise WorldDataError(
                f"{path.name}: line 1: columns {reader.fieldnames}; allowed: {list(columns)}"
            )
        return [(number, row) for number, row in enumerate(reader, start=2)]


def _number(path: Path, line: int, column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        message = f"{path.name}: line {line}: {column}: {text!r} is not a number"
        raise WorldDataError(message) from None
    if not np.isfinite(value):
        raise WorldDataError(f"{path.name}: line {line}: {column}: must be finite")
    return value


def _source(path: Path, line: int, text: str) -> str:
    if not text.startswith(STATUSES):
        raise WorldDataError(
            f"{path.name}: line {line}: source: must begin with a status, one of "
            f"{', '.join(STATUSES)}"
        )
    return text


def read_roster(path: Path) -> list[Tile]:
    """The roster and map tiles of ``world_map.csv``."""
    tiles: list[Tile] = []
    for line, row in _rows(path, ("country", "name", "label", "role", "col", "row")):
        if row["role"] not in ROLES:
            raise WorldDataError(
                f"{path.name}: line {line}: role: {row['role']!r}; allowed: {', '.join(ROLES)}"
            )
        if any(tile.country == row["country"] for tile in tiles):
            raise WorldDataError(f"{path.name}: line {line}: country: {row['country']} twice")
        col, place = (_number(path, line, key, row[key]) for key in ("col", "row"))
        tiles.append(
            Tile(row["country"], row["name"], row["label"], row["role"], int(col), int(place))
        )
    return tiles


def read_figures(path: Path, countries: set[str]) -> list[Figure]:
    """The dated figures of ``countries.csv``, each checked."""
    columns = ("country", "metric", "year", "month", "value", "low", "high", "source")
    figures: list[Figure] = []
    seen: set[tuple[str, str, int]] = set()
    for line, row in _rows(path, columns):
        if row["country"] not in countries:
            raise WorldDataError(
                f"{path.name}: line {line}: country: {row['country']!r} is not in {ROSTER_FILE}"
            )
        if row["metric"] not in METRICS:
            raise WorldDataError(
                f"{path.name}: line {line}: metric: {row['metric']!r}; allowed: "
                f"{', '.join(METRICS)}"
            )
        try:
            month = parse_month(f"{row['year']}-{int(row['month'] or 1):02d}")
        except ValueError as error:
            raise WorldDataError(f"{path.name}: line {line}: year/month: {error}") from None
        key = (row["country"], row["metric"], month)
        if key in seen:
            raise WorldDataError(f"{path.name}: line {line}: {key} given twice")
        seen.add(key)
        value = _number(path, line, "value", row["value"])
        figures.append(
            Figure(row["country"], row["metric"], month, value, _source(path, line, row["source"]))
        )
    return figures


def read_edges(path: Path, countries: set[str]) -> list[Edge]:
    """The neighbour pairs of ``neighbours.csv``, each listed once and never with itself."""
    edges: list[Edge] = []
    pairs: set[frozenset[str]] = set()
    for line, row in _rows(path, ("country", "other", "kind", "source")):
        for column in ("country", "other"):
            if row[column] not in countries:
                raise WorldDataError(
                    f"{path.name}: line {line}: {column}: {row[column]!r} is not in {ROSTER_FILE}"
                )
        pair = frozenset((row["country"], row["other"]))
        if len(pair) == 1:
            raise WorldDataError(f"{path.name}: line {line}: a country cannot neighbour itself")
        if pair in pairs:
            raise WorldDataError(f"{path.name}: line {line}: {sorted(pair)} listed twice")
        if row["kind"] not in EDGE_KINDS:
            raise WorldDataError(
                f"{path.name}: line {line}: kind: {row['kind']!r}; allowed: {', '.join(EDGE_KINDS)}"
            )
        pairs.add(pair)
        edges.append(
            Edge(row["country"], row["other"], row["kind"], _source(path, line, row["source"]))
        )
    return edges


@dataclass(frozen=True)
class WorldData:
    """The roster, the dated figures and the neighbour pairs, checked against one another."""

    tiles: tuple[Tile, ...]
    figures: tuple[Figure, ...]
    edges: tuple[Edge, ...]

    @property
    def countries(self) -> tuple[str, ...]:
        """The country codes, in roster order (the order of every vector in the world)."""
        return tuple(tile.country for tile in self.tiles)

    def series(self, country: str, metric: str) -> list[Figure]:
        """The figures of one country and metric, in time order."""
        found = [f for f in self.figures if f.country == country and f.metric == metric]
        return sorted(found, key=lambda figure: figure.month)

    def latest(self, country: str, metrics: tuple[str, ...], month: int) -> float | None:
        """The figure in force at ``month`` of the first of ``metrics`` that has one.

        That is the latest figure at or before ``month`` of the first metric that has one;
        failing that, the earliest later figure of the first metric that has any. So a vote
        share of 1928 stands in 1930, a guess of 1923 stands in 1924 for a party that first
        stood in 1925, and a population of 1930 stands for 1923 too.
        """
        for metric in metrics:
            before = [figure for figure in self.series(country, metric) if figure.month <= month]
            if before:
                return before[-1].value
        for metric in metrics:
            found = self.series(country, metric)
            if found:
                return found[0].value
        return None

    def state(self, country: str, month: int) -> str:
        """Who rules ``country`` at ``month`` by the data: ``communist``, ``right`` or ``other``."""
        events = [
            figure
            for figure in self.figures
            if figure.country == country
            and figure.month <= month
            and figure.metric.endswith(("takes_power", "loses_power"))
        ]
        if not events:
            return "other"
        last = max(events, key=lambda figure: figure.month)
        if last.metric.endswith("loses_power"):
            return "other"
        return "communist" if last.metric.startswith("communist") else "right"

    def weights(self, sea_weight: float) -> np.ndarray:
        """The symmetric neighbour matrix: 1 for a land frontier, ``sea_weight`` for a sea link."""
        index = {country: i for i, country in enumerate(self.countries)}
        matrix = np.zeros((len(index), len(index)))
        for edge in self.edges:
            weight = 1.0 if edge.kind == "land" else sea_weight
            i, j = index[edge.country], index[edge.other]
            matrix[i, j] = matrix[j, i] = weight
        return matrix


def load_world_data(folder: Path | None = None) -> WorldData:
    """Read and check the three world files.

    Args:
        folder: The folder holding them; default the shipped ``data/`` folder.

    Returns:
        The checked data.

    Raises:
        WorldDataError: If a file is malformed, or a country lacks a figure the world needs.
    """
    folder = shipped_folder("data") if folder is None else Path(folder)
    tiles = read_roster(folder / ROSTER_FILE)
    countries = {tile.country for tile in tiles}
    figures = read_figures(folder / FIGURES_FILE, countries)
    edges = read_edges(folder / NEIGHBOURS_FILE, countries)
    data = WorldData(tuple(tiles), tuple(figures), tuple(edges))
    needed = (
        ("lon",),
        ("lat",),
        ("population_thousands",),
        ("communist_vote_pct", "communist_strength_pct"),
        ("right_vote_pct", "right_strength_pct"),
        ("hostility_pct",),
    )
    for country in data.countries:
        for metrics in needed:
            if not any(data.series(country, metric) for metric in metrics):
                raise WorldDataError(
                    f"{FIGURES_FILE}: country {country}: no figure for {' or '.join(metrics)}"
                )
    return data
