"""Render the scenario reference of ``docs/SCENARIOS.md`` from the scenario schema.

The reference is generated, not written, so that the documentation cannot drift from
:mod:`simulation.scenario.schema`: one Markdown table per scenario section and one per event
kind, each row a field with its TOML type, default, allowed values and description. The
tables sit in ``docs/SCENARIOS.md`` between two marker comments; ``tests/test_docs.py`` checks
that they match what :func:`scenario_reference` renders now.

Regenerate after changing the schema::

    python -m simulation.scenario.reference            # rewrite the tables in docs/SCENARIOS.md
    python -m simulation.scenario.reference --print    # print the tables instead
    python -m simulation.scenario.reference --check    # exit 1 if docs/SCENARIOS.md is out of date

The walk over the schema is generic: a field whose type is a schema section becomes its own
table, a ``dict`` of sections becomes a table headed ``[path.<name>]``, and the ``events``
union becomes one table per event kind, so a new section, field or event kind appears in the
reference without changes here.
"""

from __future__ import annotations

import argparse
import inspect
import math
import sys
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from simulation.scenario.schema import Scenario
from simulation.shipped import checkout_root

BEGIN_MARKER = (
    "<!-- BEGIN GENERATED SCENARIO REFERENCE: python -m simulation.scenario.reference -->"
)
END_MARKER = "<!-- END GENERATED SCENARIO REFERENCE -->"
#: The document whose reference section ``python -m simulation.scenario.reference`` rewrites,
#: relative to the source checkout (an installed package has no ``docs/``).
DEFAULT_DOCUMENT = Path("docs") / "SCENARIOS.md"
#: Fields every event has; shown once, in the table of common fields.
COMMON_EVENT_FIELDS = ("kind", "month", "note")
_BOUND_NAMES = ("ge", "gt", "le", "lt")


@dataclass(frozen=True)
class Section:
    """One table of the reference: a TOML table (or event kind) and its schema class.

    Attributes:
        heading: The Markdown heading text, e.g. ``[policy.ladder]``.
        model: The schema class whose fields the table lists.
        summary: What the section is, as one paragraph.
        fields: The field names listed, in order.
        allowed: Text for the "Allowed" column that replaces the generated one, by field.
    """

    heading: str
    model: type[BaseModel]
    summary: str
    fields: tuple[str, ...]
    allowed: tuple[tuple[str, str], ...] = ()


def scenario_reference() -> str:
    """Render the field tables of every scenario section and event kind as Markdown.

    Returns:
        The reference text (ending with a newline) that belongs between the markers of
        ``docs/SCENARIOS.md``.
    """
    lines = [
        "Generated from `simulation/scenario/schema.py` by",
        "`python -m simulation.scenario.reference`;",
        "do not edit by hand. Defaults are the schema's: a key left out of every file in an",
        "`extends` chain takes this value (the shipped `base.toml` sets most keys explicitly,",
        "often to other values). Ranges are inclusive where written with `[` `]` or `>=`.",
    ]
    for section in _sections(Scenario, "", "Top level", _docstring(Scenario)):
        lines += ["", f"### {section.heading}", "", section.summary, "", *_table(section)]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ walking the schema
def _sections(model: type[BaseModel], path: str, heading: str, summary: str) -> Iterator[Section]:
    """Yield the table of ``model`` and then those of its sub-sections, depth first."""
    nested = [name for name, field in model.model_fields.items() if _is_nested(field.annotation)]
    plain = tuple(name for name in model.model_fields if name not in nested)
    yield Section(heading, model, summary, plain)
    for name in nested:
        field = model.model_fields[name]
        sub_path = f"{path}.{name}" if path else name
        annotation = _strip(field.annotation)
        if _is_model(annotation):
            yield from _sections(annotation, sub_path, f"`[{sub_path}]`", _docstring(annotation))
        elif typing.get_origin(annotation) is dict:
            value_model = typing.get_args(annotation)[1]
            text = f"{_docstring(value_model)} One table per name. {_dict_note(field)}"
            yield from _sections(
                value_model, f"{sub_path}.<name>", f"`[{sub_path}.<name>]`", text.strip()
            )
        elif _is_model(entry := _strip(typing.get_args(annotation)[0])):
            # An array of tables of one kind (``[[population.organisations]]``).
            text = f"{_sentence(field.description)} {_docstring(entry)} One table per entry."
            yield from _sections(entry, sub_path, f"`[[{sub_path}]]`", text)
        else:
            yield from _event_sections(annotation, sub_path, _sentence(field.description))


def _dict_note(field: FieldInfo) -> str:
    """How a table of named sections defaults: its default entries, or that it is required."""
    if field.default_factory is None:
        return "Required: give at least one." if field.is_required() else ""
    value = field.default_factory()  # type: ignore[call-arg]
    if not value:
        return ""
    entries = "; ".join(f"`{key} = {_toml(item)}`" for key, item in value.items())
    return f"When no file gives any, the default is {entries}."


def _event_sections(annotation: Any, path: str, summary: str) -> Iterator[Section]:
    """One table of the fields every event has, then one table per event kind."""
    kinds = typing.get_args(_strip(typing.get_args(annotation)[0]))
    names = [typing.get_args(kind.model_fields["kind"].annotation)[0] for kind in kinds]
    yield Section(
        f"`[[{path}]]`: fields of every event",
        kinds[0],
        f"{summary} Each `[[{path}]]` table is one event; `kind` says which of the kinds "
        "below it is, and the kind's own fields follow. Events of one month run in the order "
        "of the merged list.",
        COMMON_EVENT_FIELDS,
        (("kind", ", ".join(f'`"{name}"`' for name in names)),),
    )
    for kind_model, name in zip(kinds, names, strict=True):
        yield Section(
            f'`[[{path}]]` with `kind = "{name}"`',
            kind_model,
            _docstring(kind_model),
            tuple(n for n in kind_model.model_fields if n not in COMMON_EVENT_FIELDS),
        )


def _is_nested(annotation: Any) -> bool:
    """Whether a field is a section of its own (a model, a dict of models, the events)."""
    annotation = _strip(annotation)
    if _is_model(annotation):
        return True
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is dict:
        return _is_model(args[1])
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        # An array of tables of one kind, or of a union of kinds (the events); an array of
        # plain values (``offices``, ``platforms``) is a field like any other.
        entry = _strip(args[0])
        kinds = typing.get_args(entry)
        return _is_model(entry) or (bool(kinds) and all(_is_model(kind) for kind in kinds))
    return False


def _is_model(annotation: Any) -> bool:
    return inspect.isclass(annotation) and issubclass(annotation, BaseModel)


def _strip(annotation: Any) -> Any:
    """Remove ``Annotated`` wrappers, and ``None`` from an optional section (``Core | None``)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(members) == 1 and _is_model(members[0]):
            return members[0]
    return annotation


def _docstring(model: type[BaseModel]) -> str:
    """A schema class's docstring as one paragraph of Markdown."""
    text = inspect.cleandoc(model.__doc__ or "")
    return " ".join(text.split()).replace("``", "`")


def _sentence(text: str | None) -> str:
    """A field description as a sentence: capitalised, ending with a full stop."""
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


# ------------------------------------------------------------------ one table
def _table(section: Section) -> list[str]:
    rows = [
        "| Field | Type | Default | Allowed | Description |",
        "|---|---|---|---|---|",
    ]
    allowed = dict(section.allowed)
    for name in section.fields:
        field = section.model.model_fields[name]
        cells = (
            f"`{name}`",
            _type_name(field.annotation),
            _default(field),
            allowed.get(name) or _allowed(field),
            _description(field),
        )
        rows.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return rows


def _cell(text: str) -> str:
    """Make text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ") or "—"


def _description(field: FieldInfo) -> str:
    text = field.description or ""
    if typing.get_origin(_strip(field.annotation)) is Literal and not text:
        return "the event kind"
    return text.replace("``", "`")


def _type_name(annotation: Any) -> str:
    """The TOML type a field takes, in words."""
    annotation = _strip(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        present = [a for a in args if a is not type(None)]
        names = " or ".join(_type_name(a) for a in present)
        return f"{names} (optional)" if type(None) in args else names
    if origin is Literal:
        kinds = {type(value) for value in args}
        return _type_name(kinds.pop()) if len(kinds) == 1 else "value"
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"array of {_type_name(args[0])}"
        items = {_type_name(a) for a in args}
        return f"array of {len(args)} {items.pop()}s" if len(items) == 1 else "array"
    if origin is dict:
        return "table"
    return {bool: "boolean", int: "integer", float: "float", str: "string"}.get(
        annotation, getattr(annotation, "__name__", str(annotation))
    )


def _default(field: FieldInfo) -> str:
    """The default as a TOML value, or "required"."""
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
    elif field.default is PydanticUndefined:
        return "required"
    else:
        value = field.default
    if value is None:
        return "unset"
    if isinstance(value, dict):
        return "; ".join(f"`{key} = {_toml(item)}`" for key, item in value.items()) or "`{}`"
    return f"`{_toml(value)}`"


def _toml(value: Any) -> str:
    """A value written the way a scenario file would write it."""
    if isinstance(value, BaseModel):
        items = value.model_dump(exclude_defaults=True)
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in items.items()) + " }"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return str(value)


def _allowed(field: FieldInfo) -> str:
    """The values a field accepts: a range, a list of choices or a pattern."""
    annotation = _strip(field.annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        return ", ".join(f"`{_toml(value)}`" for value in args)
    if annotation is bool:
        return "`true`, `false`"
    bounds = _bounds(field.metadata)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            bounds = {**_bounds(_metadata(arg)), **bounds}
        text = _range(bounds)
        return f"{text}, or left out" if text else "any; may be left out"
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        ranges = {_range(_bounds(_metadata(arg))) for arg in args}
        return f"each {ranges.pop()}" if len(ranges) == 1 and "" not in ranges else ""
    pattern = next((m.pattern for m in field.metadata if getattr(m, "pattern", None)), None)
    if pattern == r"^[0-9]{4}-[0-9]{2}$":
        return "a month, `YYYY-MM`"
    if pattern:
        return f"matches `{pattern}`"
    return _range(bounds)


def _metadata(annotation: Any) -> list[Any]:
    """Constraint objects attached to an ``Annotated`` type."""
    if typing.get_origin(annotation) is not typing.Annotated:
        return []
    found: list[Any] = []
    for extra in typing.get_args(annotation)[1:]:
        found += extra.metadata if isinstance(extra, FieldInfo) else [extra]
    return found + _metadata(typing.get_args(annotation)[0])


def _bounds(metadata: Sequence[Any]) -> dict[str, float]:
    bounds: dict[str, float] = {}
    for item in metadata:
        for name in _BOUND_NAMES:
            value = getattr(item, name, None)
            if value is not None:
                bounds[name] = value
    return bounds


def _range(bounds: dict[str, float]) -> str:
    """Bounds as text: ``[0, 1]``, ``(0, 100]``, ``>= 0`` or ``> 0``."""
    low = next(
        ((mark, bounds[key]) for key, mark in (("ge", "["), ("gt", "(")) if key in bounds), None
    )
    high = next(
        ((mark, bounds[key]) for key, mark in (("le", "]"), ("lt", ")")) if key in bounds), None
    )
    if low and high:
        return f"`{low[0]}{_number(low[1])}, {_number(high[1])}{high[0]}`"
    if low:
        return f"`{'>=' if low[0] == '[' else '>'} {_number(low[1])}`"
    if high:
        return f"`{'<=' if high[0] == ']' else '<'} {_number(high[1])}`"
    return ""


def _number(value: float) -> str:
    """A bound without a needless ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ------------------------------------------------------------------ the document
def replace_reference(document: str, reference: str) -> str:
    """Put ``reference`` between the markers of ``document``.

    Args:
        document: The text of ``docs/SCENARIOS.md``.
        reference: The generated reference (see :func:`scenario_reference`).

    Returns:
        The document with the text between the markers replaced.

    Raises:
        ValueError: If the markers are missing, repeated or out of order.
    """
    begin, end = document.count(BEGIN_MARKER), document.count(END_MARKER)
    if begin != 1 or end != 1:
        raise ValueError(
            f"expected one {BEGIN_MARKER!r} and one {END_MARKER!r}; found {begin} and {end}"
        )
    head, rest = document.split(BEGIN_MARKER)
    _, tail = rest.split(END_MARKER)
    if END_MARKER in head:
        raise ValueError("the end marker comes before the begin marker")
    return f"{head}{BEGIN_MARKER}\n\n{reference}\n{END_MARKER}{tail}"


def current_reference(document: str) -> str:
    """The reference text now between the markers of ``document`` (as rendered)."""
    _, rest = document.split(BEGIN_MARKER, 1)
    inner, _ = rest.split(END_MARKER, 1)
    return inner.removeprefix("\n\n").removesuffix("\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite, print or check the generated reference.

    Args:
        argv: Command-line arguments (``sys.argv[1:]`` by default).

    Returns:
        0 on success; 1 when ``--check`` finds the document out of date; 2 when there is no
        document to read.
    """
    parser = argparse.ArgumentParser(
        prog="python -m simulation.scenario.reference",
        description="Regenerate the scenario reference in docs/SCENARIOS.md from the schema.",
    )
    parser.add_argument(
        "document",
        nargs="?",
        type=Path,
        help=f"the Markdown file (default: {DEFAULT_DOCUMENT} in the source checkout)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--print", action="store_true", help="print the reference to stdout")
    mode.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    options = parser.parse_args(argv)
    reference = scenario_reference()
    if options.print:
        sys.stdout.write(reference)
        return 0
    if options.document is None:
        root = checkout_root()
        if root is None:
            print(
                f"{parser.prog}: error: an installed package has no {DEFAULT_DOCUMENT}; "
                "name the file, or run this in the source checkout",
                file=sys.stderr,
            )
            return 2
        options.document = root / DEFAULT_DOCUMENT
    try:
        text = options.document.read_text(encoding="utf-8")
    except OSError as error:
        print(f"{parser.prog}: error: {options.document}: {error.strerror}", file=sys.stderr)
        return 2
    updated = replace_reference(text, reference)
    if options.check:
        if updated != text:
            print(f"{options.document} is out of date; run python -m simulation.scenario.reference")
            return 1
        print(f"{options.document} is up to date")
        return 0
    if updated != text:
        options.document.write_text(updated, encoding="utf-8")
        print(f"rewrote the scenario reference in {options.document}")
    else:
        print(f"{options.document} was already up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
