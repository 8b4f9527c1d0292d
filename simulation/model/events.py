"""The timeline: what each kind of scenario event does to a running model.

Adding an event kind is one schema class in :mod:`simulation.scenario.schema` plus one handler
registered here with :func:`handles`; ``tests/test_events.py`` runs every registered kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulation.model.congress import hold_congress
from simulation.scenario.schema import (
    AmnestyEvent,
    CampaignEvent,
    CongressEvent,
    ExperienceEvent,
    LeaderEvent,
    OfficeEvent,
    Policy,
    PolicyEvent,
    ShockEvent,
    StanceEvent,
    WorldEvent,
)

if TYPE_CHECKING:
    from simulation.model.party import PartyModel

Handler = Callable[["PartyModel", Any], None]
#: Event kind -> function applying it to a model at the start of its month.
HANDLERS: dict[str, Handler] = {}


def handles(kind: str) -> Callable[[Handler], Handler]:
    """Register a handler for an event kind."""

    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


@dataclass
class RunningCampaign:
    """A campaign under way and the months it has left."""

    event: CampaignEvent
    months_left: int


def updated_policy(policy: Policy, changes: Mapping[str, Any]) -> Policy:
    """A copy of ``policy`` with fields changed; a nested ``ladder`` table is merged field-wise."""
    data = policy.model_dump()
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(data.get(key), Mapping):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return Policy.model_validate(data)


#: The repression the leader in power decides when ``succession.policy.enabled`` (ODD 7.8):
#: policy events no longer set these fields (admissions, release and the routines of review,
#: decay and prison stay the timeline's).
LEADER_DECIDES = frozenset(
    {"tolerance", "surveillance", "severity", "ladder", "denunciation",
     "false_denunciation", "association", "vote_marks"}
)  # fmt: skip


@handles("policy")
def apply_policy(model: PartyModel, event: PolicyEvent) -> None:
    """Change policy fields from this month on (not the repression a deciding leader sets)."""
    changes = event.set
    if model.leader_decides:
        changes = {key: value for key, value in changes.items() if key not in LEADER_DECIDES}
    model.policy = updated_policy(model.policy, changes)


@handles("campaign")
def start_campaign(model: PartyModel, event: CampaignEvent) -> None:
    """Start a quota campaign that runs for ``event.months`` months from this one.

    Not applied when the leader in power decides repression (``succession.policy``, ODD 7.8):
    his purges are the standing ones his hardening's instruments start.
    """
    if model.leader_decides:
        return
    model.campaigns.append(RunningCampaign(event, event.months))


@handles("leader")
def change_leader(model: PartyModel, event: LeaderEvent) -> None:
    """Hand the leadership to a named successor or to the central committee's choice.

    Not applied when the succession is fought (``succession.coalitions``, docs/ODD.md 7.11):
    then who leads is an outcome, not a scheduled event.
    """
    if model.succession is not None and model.config.succession.coalitions:
        return
    model.change_leader(event.successor)


@handles("office")
def move_office(model: PartyModel, event: OfficeEvent) -> None:
    """Take an office from a contender, give it to another or leave it vacant (ODD 7.10)."""
    model.succession.move_office(event.contender, event.office, event.to)


@handles("shock")
def shock_reality(model: PartyModel, event: ShockEvent) -> None:
    """Move the hidden correct line by ``event.size`` (clipped to [-1, 1])."""
    model.reality = min(1.0, max(-1.0, model.reality + event.size))


@handles("amnesty")
def amnesty(model: PartyModel, event: AmnestyEvent) -> None:
    """Release and readmit; see :meth:`simulation.model.party.PartyModel.amnesty`."""
    model.amnesty(event.release, event.readmit, event.clear_dossiers)


@handles("stance")
def change_stance(model: PartyModel, event: StanceEvent) -> None:
    """Give a leader a new bias from this month on (docs/ODD.md 7.7).

    The model's resolved scenario is replaced by a copy in which the leader's ``bias`` is
    ``event.bias``: the scenario as in force, as ``model.policy`` is the policy in force. If
    the leader is in power, his reading of reality moves by the change at once, as it does at a
    succession (the apparatus's reading, seen through his new bias).
    """
    leadership = model.config.leadership
    before = leadership.leaders[event.leader]
    leaders = {**leadership.leaders, event.leader: before.model_copy(update={"bias": event.bias})}
    model.config = model.config.model_copy(
        update={"leadership": leadership.model_copy(update={"leaders": leaders})}
    )
    if event.leader == model.leader_name:
        model.reading += event.bias - before.bias


@handles("experience")
def live_through(model: PartyModel, event: ExperienceEvent) -> None:
    """Part of the party lives through a shock; see :meth:`PartyModel.experience`."""
    model.experience(event)


@handles("congress")
def congress(model: PartyModel, event: CongressEvent) -> None:
    """Hold a congress's vote; see :func:`simulation.model.congress.hold_congress`.

    With the leaders switched on, a congress that elects the central committee has its seats
    counted by the secretaries' patrons (docs/ODD.md 7.10), and a leader who fears it may
    postpone it (``succession.policy.postpone_below``, docs/ODD.md 7.12).
    """
    if model.democracy is not None and not model.democracy.convenes(event):
        return
    convene(model, event)


def convene(model: PartyModel, event: CongressEvent) -> None:
    """Hold a congress now, on schedule or late (:func:`congress`)."""
    vote = hold_congress(model, event)
    if event.elects_cc and model.succession is not None:
        model.succession.elect(vote)


@handles("world")
def change_foreign_line(model: PartyModel, event: WorldEvent) -> None:
    """The foreign line changes from this month on (nothing happens with the world layer off)."""
    if model.world is None:
        return
    model.foreign_line = model.foreign_line.changed_by(event)
