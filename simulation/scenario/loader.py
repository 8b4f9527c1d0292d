"""Read scenario files: TOML, ``extends`` chains, ``--set`` overrides, one-line errors.

A scenario file is parsed with :mod:`tomllib`, merged over the file it ``extends`` (tables are
merged key by key; ``[[events]]`` are appended after the parent's unless the child says
``inherit_events = false``), then overridden by ``key.path=value`` strings, and finally
validated into a frozen :class:`~simulation.scenario.schema.Scenario`. Every mistake becomes a
:class:`ScenarioError` that names the file (or the ``--set`` option), the key path, the bad
value and what is allowed.
"""

from __future__ import annotations

import difflib
import tomllib
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from simulation.scenario.calendar import parse_month
from simulation.scenario.schema import EVENT_KINDS, Event, Scenario
from simulation.shipped import shipped_folder

SCENARIO_SUFFIX = ".toml"
#: Keys a file may hold that are about the file rather than the scenario.
FILE_KEYS = ("extends", "inherit_events")


class ScenarioError(ValueError):
    """A mistake in a scenario file or override, reported as one line.

    Attributes:
        source: The file, or ``--set KEY``, where the mistake is.
        key: Dotted key path of the bad value ("" when the whole file is wrong).
        message: What is wrong and what is allowed.
    """

    def __init__(self, source: str, key: str, message: str) -> None:
        self.source, self.key, self.message = source, key, message
        where = f"{source}: {key}: " if key else f"{source}: "
        super().__init__(where + message)


def scenario_dirs() -> list[Path]:
    """Folders searched for scenario names, in order: ``./scenarios``, then the shipped ones."""
    dirs = [Path.cwd() / "scenarios", shipped_folder("scenarios")]
    unique: list[Path] = []
    for folder in dirs:
        if folder.is_dir() and folder.resolve() not in [d.resolve() for d in unique]:
            unique.append(folder)
    return unique


def find_scenario(name: str | Path, relative_to: Path | None = None) -> Path:
    """Resolve a scenario name or path to a file.

    Args:
        name: A path to a TOML file, or a bare name such as ``"historical"``.
        relative_to: Folder that relative paths are read against first (the folder of the
            file that ``extends`` this one).

    Returns:
        The path of the scenario file.

    Raises:
        ScenarioError: If no such file exists, listing the names that do.
    """
    text = str(name)
    candidates: list[Path] = []
    raw = Path(text)
    with_suffix = (
        raw if raw.suffix == SCENARIO_SUFFIX else raw.with_name(raw.name + SCENARIO_SUFFIX)
    )
    for base in ([relative_to] if relative_to else []) + [Path.cwd()]:
        candidates += [base / raw, base / with_suffix]
    if raw.is_absolute():
        candidates += [raw, with_suffix]
    for folder in scenario_dirs():
        candidates.append(folder / with_suffix.name)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    known = ", ".join(sorted(p.stem for d in scenario_dirs() for p in d.glob("*.toml")))
    raise ScenarioError(text, "", f"no such scenario file; shipped scenarios: {known}")


def list_scenarios() -> list[tuple[str, str, Path]]:
    """List shipped and local scenarios as ``(name, description, path)``, sorted by name."""
    found: dict[str, tuple[str, str, Path]] = {}
    for folder in reversed(scenario_dirs()):
        for path in sorted(folder.glob("*" + SCENARIO_SUFFIX)):
            try:
                description = str(_read_toml(path).get("description", ""))
            except ScenarioError as error:
                description = f"(invalid: {error.message})"
            found[path.stem] = (path.stem, description, path)
    return [found[name] for name in sorted(found)]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(str(path), "", f"not valid TOML: {error}") from None
    except OSError as error:
        raise ScenarioError(str(path), "", f"cannot be read: {error.strerror}") from None


def _merge(
    base: dict[str, Any],
    top: Mapping[str, Any],
    sources: dict[str, str],
    source: str,
    prefix: str = "",
) -> dict[str, Any]:
    """Merge ``top`` over ``base`` key by key, recording which source set each leaf."""
    merged = dict(base)
    for key, value in top.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value, sources, source, path + ".")
        else:
            merged[key] = value
            sources[path] = source
    return merged


def _load_chain(path: Path, seen: tuple[Path, ...], sources: dict[str, str]) -> dict[str, Any]:
    """Load a file and everything it extends, parent first."""
    resolved = path.resolve()
    if resolved in seen:
        cycle = " -> ".join(p.name for p in (*seen, resolved))
        raise ScenarioError(str(path), "extends", f"extends itself in a cycle: {cycle}")
    data = _read_toml(path)
    parent_name = data.pop("extends", None)
    inherit_events = data.pop("inherit_events", True)
    if not isinstance(inherit_events, bool):
        raise ScenarioError(str(path), "inherit_events", "must be true or false")
    if parent_name is None:
        data.setdefault("name", path.stem)
        for key in _leaf_paths(data):
            sources[key] = str(path)
        return data
    if not isinstance(parent_name, str):
        raise ScenarioError(str(path), "extends", "must be a scenario name or file path")
    try:
        parent_path = find_scenario(parent_name, relative_to=path.parent)
    except ScenarioError as error:
        raise ScenarioError(str(path), "extends", f"{parent_name!r}: {error.message}") from None
    parent = _load_chain(parent_path, (*seen, resolved), sources)
    events = list(parent.get("events", [])) if inherit_events else []
    own_events = data.pop("events", [])
    if not isinstance(own_events, list):
        raise ScenarioError(str(path), "events", "must be an array of tables ([[events]])")
    offset = len(events)
    for number in range(len(own_events)):
        sources[f"events.{offset + number}"] = str(path)
    merged = _merge(parent, data, sources, str(path))
    merged["name"] = data.get("name", path.stem)
    merged["events"] = events + own_events
    return merged


def _leaf_paths(data: Mapping[str, Any], prefix: str = "") -> Iterable[str]:
    for key, value in data.items():
        if isinstance(value, Mapping):
            yield from _leaf_paths(value, f"{prefix}{key}.")
        elif isinstance(value, list) and value and isinstance(value[0], Mapping):
            for number in range(len(value)):
                yield f"{prefix}{key}.{number}"
        else:
            yield f"{prefix}{key}"


def parse_override(text: str) -> tuple[str, Any]:
    """Split ``"key.path=value"``; the value is read as a TOML value, else kept as text.

    Args:
        text: An override such as ``"policy.tolerance=0.4"`` or ``"leadership.leader=trotsky"``.

    Returns:
        The key path and the parsed value.

    Raises:
        ScenarioError: If there is no ``=`` or no key.
    """
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError(f"--set {text}", "", "write overrides as KEY.PATH=VALUE")
    try:
        parsed = tomllib.loads(f"v = {value.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value.strip()
    return key, parsed


def apply_overrides(
    data: dict[str, Any],
    overrides: Iterable[str] | Mapping[str, Any],
    sources: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Set values at dotted key paths in a raw scenario dictionary (a copy is returned).

    Args:
        data: Raw (merged, unvalidated) scenario data.
        overrides: ``"key=value"`` strings or a mapping from key path to value. A numeric path
            part indexes a list, e.g. ``events.2.quota``.
        sources: Where to record that ``--set`` set each key, for error messages.

    Returns:
        The data with the overrides applied.

    Raises:
        ScenarioError: If a path runs through something that is not a table or list.
    """
    items = overrides.items() if isinstance(overrides, Mapping) else map(parse_override, overrides)
    result = _deep_copy(data)
    period_changed = False
    for key, value in items:
        parts = key.split(".")
        node: Any = result
        for depth, part in enumerate(parts[:-1]):
            where = ".".join(parts[: depth + 1])
            if isinstance(node, list):
                node = _list_item(node, part, key, where)
            elif isinstance(node, dict):
                node = node.setdefault(part, {})
            else:
                raise ScenarioError(f"--set {key}", where, "is a value, not a table")
        last = parts[-1]
        if isinstance(node, list):
            index = _list_index(node, last, key, key)
            node[index] = value
        elif isinstance(node, dict):
            node[last] = value
        else:
            raise ScenarioError(f"--set {key}", ".".join(parts[:-1]), "is a value, not a table")
        if sources is not None:
            sources[key] = f"--set {key}"
        period_changed = period_changed or key in ("start", "end")
    if period_changed:
        _drop_events_outside_period(result, sources)
    return result


def _drop_events_outside_period(data: dict[str, Any], sources: dict[str, str] | None) -> None:
    """Drop the events that fall outside a run period changed by an override, in place.

    An event outside the period written in the scenario files is an error (a mistyped month),
    but a run shortened with ``--set end=...`` simply stops before its later events. Overrides
    such as ``events.3.quota`` address events by their place in the files, before the drop.
    """
    fields = Scenario.model_fields
    try:
        start = parse_month(data.get("start", fields["start"].default))
        end = parse_month(data.get("end", fields["end"].default))
    except ValueError:
        return  # validation reports the bad month
    events = data.get("events")
    if not isinstance(events, list):
        return
    kept: list[Any] = []
    for number, event in enumerate(events):
        try:
            outside = not start <= parse_month(event["month"]) <= end
        except (KeyError, TypeError, ValueError):
            outside = False  # validation reports the bad event
        if outside:
            continue
        if sources is not None and f"events.{number}" in sources:
            sources[f"events.{len(kept)}"] = sources[f"events.{number}"]
        kept.append(event)
    data["events"] = kept


def _list_index(node: list, part: str, key: str, where: str) -> int:
    if not part.isdigit() or int(part) >= len(node):
        raise ScenarioError(f"--set {key}", where, f"index must be 0..{len(node) - 1}")
    return int(part)


def _list_item(node: list, part: str, key: str, where: str) -> Any:
    return node[_list_index(node, part, key, where)]


def _deep_copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):  # a dumped Scenario holds tuples; overrides index lists
        return [_deep_copy(v) for v in value]
    return value


def validate(data: Mapping[str, Any], sources: Mapping[str, str], default_source: str) -> Scenario:
    """Validate raw scenario data, turning the first problem into a :class:`ScenarioError`.

    Args:
        data: Raw scenario data.
        sources: Which file or override set each key path.
        default_source: Source named when no key path matches.

    Returns:
        The frozen scenario.

    Raises:
        ScenarioError: Naming file, key path, bad value and what is allowed.
    """
    try:
        return Scenario.model_validate(dict(data))
    except ValidationError as error:
        details = error.errors()
        first = details[0]
        raw_loc = tuple(part for part in first["loc"] if not str(part).startswith("function-"))
        loc = _clean_loc(first["loc"])
        if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, "kind")
        key = ".".join(str(part) for part in loc)
        source = _source_of(key, sources, default_source)
        message = _describe(first, raw_loc)
        if len(details) > 1:
            message += f" (and {len(details) - 1} more problem{'s' if len(details) > 2 else ''})"
        raise ScenarioError(source, key, message) from None


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union-tag parts (``events.0.campaign.quota`` -> ``events.0.quota``)."""
    cleaned = list(loc)
    if len(cleaned) >= 3 and cleaned[0] == "events" and cleaned[2] in EVENT_KINDS:
        del cleaned[2]
    return tuple(part for part in cleaned if not str(part).startswith("function-"))


def _source_of(key: str, sources: Mapping[str, str], default: str) -> str:
    """The file or ``--set`` option that set ``key`` (or the nearest enclosing key).

    A check of a whole table (say, that the leader is among the leaders) reports the table's
    key; if an override set something inside that table, the override is named, since a
    mistake there is far more likely than in a file that validated before. A check of the
    whole scenario (say, that every event lies in the period) names an override only if it
    set a top-level key (``start``, ``end``): overrides deep inside a table, such as the
    party's size, cannot cause it.
    """
    parts = key.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in sources:
            return sources[prefix]
    inside = [
        source
        for path, source in sources.items()
        if source.startswith("--set ") and (path.startswith(key + ".") if key else "." not in path)
    ]
    return inside[-1] if inside else default


def _describe(detail: Mapping[str, Any], loc: tuple) -> str:
    """What is wrong and what is allowed; ``loc`` keeps pydantic's union-tag parts."""
    kind, ctx, value = detail["type"], detail.get("ctx") or {}, detail.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ";"
        return f"unknown key{hint} allowed: {', '.join(allowed)}"
    if kind == "missing":
        return "is required but missing"
    bounds = {
        "greater_than_equal": ">= {ge}",
        "less_than_equal": "<= {le}",
        "greater_than": "> {gt}",
        "less_than": "< {lt}",
    }
    if kind in bounds:
        return f"{value!r} is out of range; allowed: {bounds[kind].format(**ctx)}"
    if kind == "literal_error":
        return f"{value!r} is not allowed; allowed: {ctx.get('expected')}"
    if kind == "union_tag_invalid":
        return f"kind {ctx.get('tag', value)!r} is unknown; allowed: {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        kinds = ", ".join(repr(tag) for tag in _variants(Event))
        return f"is required but missing; allowed: {kinds}"
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not a month; write it as YYYY-MM"
    message = str(detail["msg"]).removeprefix("Value error, ")
    if kind == "value_error":
        return message
    return f"{value!r}: {message[0].lower() + message[1:]}"


def _allowed_keys(loc: tuple) -> list[str]:
    """Field names allowed at a key path, found by walking the schema."""
    node: Any = Scenario
    for part in loc:
        variants = _variants(node)
        if str(part) in variants:  # an event's kind tag picks its class
            node = variants[str(part)]
            continue
        node = _unwrap(node)
        if isinstance(node, type) and issubclass(node, BaseModel):
            field = node.model_fields.get(str(part))
            if field is None:
                return []
            node = field.annotation
        elif typing.get_origin(node) in (dict, tuple):
            node = typing.get_args(node)[-1 if typing.get_origin(node) is dict else 0]
        else:
            return []
    node = _unwrap(node)
    if isinstance(node, type) and issubclass(node, BaseModel):
        return sorted(node.model_fields)
    return []


def _variants(annotation: Any) -> dict[str, Any]:
    """The classes of a union tagged by ``kind`` (the events), by tag; empty for others."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return {}
    found: dict[str, Any] = {}
    for member in typing.get_args(annotation):
        field = getattr(member, "model_fields", {}).get("kind")
        for tag in typing.get_args(field.annotation) if field is not None else ():
            found[str(tag)] = member
    return found


def _unwrap(annotation: Any) -> Any:
    """Strip Optional and Annotated; for event unions pick a class with the common fields."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def load_scenario(
    name: str | Path,
    overrides: Iterable[str] | Mapping[str, Any] = (),
) -> Scenario:
    """Load, merge, override and validate a scenario.

    Args:
        name: A shipped scenario name (``"historical"``) or a path to a TOML file.
        overrides: ``"key.path=value"`` strings or a mapping of key paths to values.

    Returns:
        The validated, frozen scenario.

    Raises:
        ScenarioError: On any mistake, as one line naming file, key and what is allowed.
    """
    path = find_scenario(name)
    sources: dict[str, str] = {}
    data = _load_chain(path, (), sources)
    data = apply_overrides(data, overrides, sources)
    return validate(data, sources, str(path))


def resolve_scenario(
    config: Scenario | str | Path,
    overrides: Iterable[str] | Mapping[str, Any] = (),
) -> Scenario:
    """Turn a scenario, a shipped name or a TOML path, plus overrides, into a scenario.

    The one way a run's scenario is made: names and paths are loaded (:func:`load_scenario`);
    a :class:`Scenario` object with overrides is dumped, overridden and validated again, so an
    override is checked exactly as in a file.

    Args:
        config: A :class:`Scenario`, a shipped name (``"historical"``) or a TOML path.
        overrides: ``"key.path=value"`` strings or a mapping of key paths to values.

    Returns:
        The validated, frozen scenario (``config`` itself when it is one and nothing changes).

    Raises:
        ScenarioError: If the scenario or an override is wrong.
    """
    if not isinstance(config, Scenario):
        return load_scenario(config, overrides)
    if not overrides:
        return config
    sources: dict[str, str] = {}
    data = apply_overrides(config.model_dump(mode="python"), overrides, sources)
    return validate(data, sources, f"scenario {config.name}")


def resolved_toml(scenario: Scenario) -> str:
    """Write a validated scenario back out as TOML, with every default made explicit."""
    return _to_toml(scenario.model_dump(mode="json"))


def _to_toml(data: Mapping[str, Any]) -> str:
    lines: list[str] = []
    _emit_table(data, [], lines)
    return "\n".join(lines).strip() + "\n"


def _emit_table(data: Mapping[str, Any], path: list[str], lines: list[str]) -> None:
    scalars = {k: v for k, v in data.items() if not _is_table(v) and not _is_table_array(v)}
    for key, value in scalars.items():
        if value is not None:
            lines.append(f"{_key(key)} = {_toml_value(value)}")
    for key, value in data.items():
        if _is_table(value):
            lines.append("")
            lines.append(f"[{'.'.join(_key(p) for p in [*path, key])}]")
            _emit_table(value, [*path, key], lines)
    for key, value in data.items():
        if _is_table_array(value):
            for item in value:
                lines.append("")
                lines.append(f"[[{'.'.join(_key(p) for p in [*path, key])}]]")
                _emit_table(item, [*path, key], lines)


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else f'"{key}"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        inner = ", ".join(
            f"{_key(k)} = {_toml_value(v)}" for k, v in value.items() if v is not None
        )
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"cannot write {value!r} as TOML")
