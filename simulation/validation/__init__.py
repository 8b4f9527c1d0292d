"""Published results the model must reproduce, each checked on the model and reported.

One module per result runs it on the model's public API (scenario files under
``scenarios/`` and ``scenarios/validation/``, :class:`~simulation.model.party.PartyModel` and its
outcomes; for a rule the party model does not call yet, the rule's own function) and returns a
:class:`~simulation.validation.result.Finding`: the paper's claim, the parameters, the model's
numbers and a verdict (reproduced, partial, failed, not expressible).
:data:`~simulation.validation.registry.REGISTRY` lists them; ``politburo validate-science`` runs
them; ``docs/VALIDATION.md`` reports them.
"""

from simulation.validation.result import Curve, FigureSpec, Finding, Paper, Published, Verdict

__all__ = ["Curve", "FigureSpec", "Finding", "Paper", "Published", "Verdict", "run_checks"]


def run_checks(names: list[str] | None = None, quick: bool = False, seed: int = 0) -> list[Finding]:
    """Run the named checks (all by default) and return their findings in registry order.

    Args:
        names: Registry names; ``None`` runs every check.
        quick: Smaller, faster versions of each check.
        seed: Seed handed to every check.

    Returns:
        One finding per check.

    Raises:
        KeyError: If a name is not registered.
    """
    from simulation.validation.registry import REGISTRY

    chosen = list(REGISTRY) if names is None else names
    unknown = [name for name in chosen if name not in REGISTRY]
    if unknown:
        raise KeyError(unknown[0])
    order = [name for name in REGISTRY if name in chosen]
    return [REGISTRY[name].check(quick=quick, seed=seed) for name in order]
