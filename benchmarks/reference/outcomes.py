"""The monthly outcome row, with the fast engine's column names (ODD 4.11).

The definitions are those of :mod:`simulation.model.outcomes`; here they are computed by looking at
every member rather than from running sums.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from simulation.model.members import Status
from simulation.model.outcomes import CONGRESS_OUTCOMES, OUTCOMES
from simulation.scenario.calendar import format_month

if TYPE_CHECKING:
    from benchmarks.reference.model import ReferenceModel


def share(numerator: float, denominator: float) -> float:
    """A ratio, NaN when the denominator is not positive."""
    return float(numerator / denominator) if denominator > 0 else float("nan")


def spread(values: list[float]) -> float:
    """Population standard deviation (NaN for no values)."""
    if not values:
        return float("nan")
    mean = sum(values) / len(values)
    return math.sqrt(max(sum(v * v for v in values) / len(values) - mean * mean, 0.0))


def outcome_columns(model: ReferenceModel) -> list[str]:
    """Column names of the outcome table, in the fast engine's order."""
    columns = list(OUTCOMES) + [f"faction_{name}" for name in model.faction_names]
    if any(event.kind == "congress" for event in model.config.events):
        names = [o.name for o in model.config.population.organisations]
        columns += list(CONGRESS_OUTCOMES) + [f"votes_against_{name}" for name in names]
    return columns


def month_outcomes(model: ReferenceModel) -> dict[str, Any]:
    """Every outcome of the month just simulated, by column name."""
    t, totals, policy = model.tally, model.totals, model.policy
    members = model.members_now
    stock = {status: 0 for status in Status}
    for person in model.people:
        stock[person.status] += 1
    initial_cc = [p for p in model.people if p.initial_cc]
    n = len(members)
    row: dict[str, Any] = {
        "month": format_month(model.month),
        "leader": model.leader_name,
        "members_active": n,
        "members_expelled": stock[Status.EXPELLED],
        "prisoners": stock[Status.IMPRISONED],
        "expelled": t["expelled"],
        "imprisoned": t["imprisoned"],
        "executed": t["executed"],
        "warnings": t["warned"],
        "demotions": t["demoted"],
        "expelled_total": totals["expelled"],
        "imprisoned_total": totals["imprisoned"],
        "executed_total": totals["executed"],
        "purges_total": totals["expelled"] + totals["imprisoned"] + totals["executed"],
        "died_in_prison": t["died_in_prison"],
        "released": t["released"],
        "readmitted": t["readmitted"],
        "recanted": t["recanted"],
        "recruits": t["recruits"],
        "recruit_shortfall": t["recruit_shortfall"],
        "deviating": share(t["deviating"], t["speakers"]),
        "seen_deviating": share(t["seen"], t["speakers"]),
        "openness": share(t["voiced"], t["desired"]),
        "falsification": share(t["falsified"], t["speakers"]),
        "hidden_disagreement": share(t["hidden"], t["speakers"]),
        "fear": share(sum(p.fear for p in members), n),
        "policy_error": abs(model.line - model.reality),
        "leader_error": model.leader_error,
        "innocent_share": share(t["innocent"], t["punished"]),
        "innocent_share_total": share(totals["innocent"], totals["punished"]),
        "opposed_share": share(t["opposed"], t["punished"]),
        "opposed_share_total": share(totals["opposed"], totals["punished"]),
        "experienced": t["experienced"],
        "cc_purged_share": share(
            sum(p.purged for p in model.central_committee) - model.cc_purged_before,
            len(model.central_committee),
        ),
        "belief_mean": share(sum(p.belief for p in members), n),
        "belief_sd": spread([p.belief for p in members]),
        "said_sd": spread([p.expressed for p in members]),
        "line": model.line,
        "reality": model.reality,
        "tolerance": policy.tolerance,
        "surveillance": policy.surveillance,
        "severity": policy.severity,
    }
    for index, name in enumerate(model.faction_names):
        row[f"faction_{name}"] = sum(1 for p in members if p.faction == index)
    vote = model.vote
    row["votes_against"] = share(vote["against"], vote["voters"]) if vote else math.nan
    row["private_opposition"] = share(vote["private"], vote["voters"]) if vote else math.nan
    row["hidden_opposition"] = (
        share(vote["private"] - vote["against"], vote["voters"]) if vote else math.nan
    )
    row["delegates_against"] = vote["delegates_against"] if vote else math.nan
    row["cc1924_purged_share"] = share(sum(p.purged for p in initial_cc), len(initial_cc))
    for index, organisation in enumerate(model.config.population.organisations):
        voters, against = vote["by_organisation"][index] if vote else (0, 0)
        row[f"votes_against_{organisation.name}"] = share(against, voters)
    return row
