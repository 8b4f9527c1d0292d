"""The documentation cannot drift from the code.

docs/SCENARIOS.md carries a reference of every scenario key generated from the schema; it must
equal what :func:`simulation.scenario.reference.scenario_reference` renders now. docs/ODD.md must
describe every outcome column the model records.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulation.model.events import HANDLERS
from simulation.model.outcomes import OUTCOMES
from simulation.scenario import reference as schema_doc
from simulation.scenario import schema
from simulation.scenario import world as world_section

DOCS = Path(__file__).resolve().parents[1] / "docs"
SCENARIOS_MD = DOCS / "SCENARIOS.md"
ODD_MD = DOCS / "ODD.md"
REGENERATE = "python -m simulation.scenario.reference"


def test_scenarios_reference_is_current() -> None:
    text = SCENARIOS_MD.read_text(encoding="utf-8")
    assert text.count(schema_doc.BEGIN_MARKER) == 1, "docs/SCENARIOS.md lost its begin marker"
    assert text.count(schema_doc.END_MARKER) == 1, "docs/SCENARIOS.md lost its end marker"
    documented = schema_doc.current_reference(text)
    generated = schema_doc.scenario_reference()
    assert documented == generated, (
        "the scenario reference in docs/SCENARIOS.md does not match the schema in "
        f"simulation/scenario/schema.py; regenerate it with `{REGENERATE}` "
        f"(or check with `{REGENERATE} --check`)"
    )


def test_regenerating_leaves_a_current_document_unchanged() -> None:
    text = SCENARIOS_MD.read_text(encoding="utf-8")
    reference = schema_doc.scenario_reference()
    assert schema_doc.replace_reference(text, reference) == text, (
        f"docs/SCENARIOS.md is out of date; run `{REGENERATE}`"
    )


def test_main_rewrites_only_the_marked_section(tmp_path: Path) -> None:
    document = tmp_path / "SCENARIOS.md"
    before, after = "# Title\n\nprose before\n\n", "\n\nprose after\n"
    stale = f"{schema_doc.BEGIN_MARKER}\nstale tables\n{schema_doc.END_MARKER}"
    document.write_text(before + stale + after, encoding="utf-8")
    assert schema_doc.main([str(document), "--check"]) == 1
    assert schema_doc.main([str(document)]) == 0
    text = document.read_text(encoding="utf-8")
    assert text.startswith(before) and text.endswith(after)
    assert schema_doc.current_reference(text) == schema_doc.scenario_reference()
    assert schema_doc.main([str(document), "--check"]) == 0


def test_missing_markers_are_an_error() -> None:
    with pytest.raises(ValueError, match="expected one"):
        schema_doc.replace_reference("no markers here", "tables")


def _fields(model: type, path: str = "") -> tuple[set[str], set[str]]:
    """Leaf fields and the key paths of sections, for a schema class and those nested in it."""
    leaves: set[str] = set()
    sections: set[str] = set()
    for name, field in model.model_fields.items():
        inner = re.findall(r"simulation\.scenario\.(schema|world)\.(\w+)", repr(field.annotation))
        if not inner:
            leaves.add(name)
            continue
        sections.add(f"{path}{name}")
        for module, class_name in inner:
            owner = schema if module == "schema" else world_section
            more_leaves, more_sections = _fields(getattr(owner, class_name), f"{path}{name}.")
            leaves |= more_leaves
            sections |= more_sections
    return leaves, sections


def test_reference_lists_every_field_section_and_event_kind() -> None:
    reference = schema_doc.scenario_reference()
    headings = "\n".join(line for line in reference.splitlines() if line.startswith("### "))
    leaves, sections = _fields(schema.Scenario)
    for name in leaves:
        assert f"| `{name}` |" in reference, f"field {name!r} missing from the reference"
    for path in sections:
        last = path.split(".")[-1]
        assert re.search(rf"[\[.]{last}\b", headings), f"section {path!r} has no table"
    for kind in HANDLERS:
        assert f'`kind = "{kind}"`' in reference, f"event kind {kind!r} has no table"


def test_every_row_has_five_cells() -> None:
    for line in schema_doc.scenario_reference().splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            assert len(cells) == 5, line


def test_odd_describes_every_outcome_column() -> None:
    text = ODD_MD.read_text(encoding="utf-8")
    missing = [name for name in OUTCOMES if f"| `{name}` |" not in text]
    assert not missing, (
        f"docs/ODD.md (section 4.11 Observation) does not describe the outcome columns {missing}; "
        "add a row for each with its definition from simulation/model/outcomes.py"
    )


def test_scenarios_md_lists_every_shipped_scenario() -> None:
    text = SCENARIOS_MD.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    shipped = {path.stem for path in (DOCS.parent / "scenarios").glob("*.toml")}
    assert shipped <= listed, sorted(shipped - listed)
