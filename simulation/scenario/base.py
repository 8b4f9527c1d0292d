"""The building blocks of every scenario section: the strict, frozen base and the number types.

Kept apart from :mod:`simulation.scenario.schema` so that sections defined in their own modules
(the world layer's, :mod:`simulation.scenario.world`) can share them without an import cycle.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

Share = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]
Position = Annotated[float, Strict(), Field(ge=-1.0, le=1.0)]
NonNegative = Annotated[float, Strict(), Field(ge=0.0)]
MonthText = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}$", description="a month, YYYY-MM")]


class Frozen(BaseModel):
    """Base for every scenario section: immutable, and unknown keys are errors.

    Values are checked strictly: a number must be written as a number (``"0.1"`` is text, and
    ``true`` is not 1.0), a whole number as a whole number (``300.0`` is refused where a count
    is meant), and every number is finite, except where a field says that ``inf`` means
    "never" (the punishment ladder). An ``inf`` anywhere else would make the model's arithmetic
    produce NaN far from the mistake.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _arrays_as_tuples(cls, data: Any) -> Any:
        """Read a TOML array (a list) as the tuple a field holds; strict mode takes only tuples.

        Only the array itself is converted: its items are still checked strictly.
        """
        if isinstance(data, dict):
            return {key: tuple(v) if isinstance(v, list) else v for key, v in data.items()}
        return data
