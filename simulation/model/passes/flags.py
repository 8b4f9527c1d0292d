"""Bits of the ``flags`` column: what happened to a member this month (cleared each month)."""

PUNISHED = 1  # expelled, jailed or shot this month: not chosen again by a campaign
FALSELY_DENOUNCED = 8  # reported by a tie for dissent never voiced this month: once a month
