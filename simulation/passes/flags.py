"""Bits of the ``flags`` column: what happened to a member this month (cleared each month)."""

PUNISHED = 1  # expelled, jailed or shot this month
ARRESTED = 2  # jailed or shot this month
DENOUNCED = 4  # reported by a tie for voiced dissent this month
FALSELY_DENOUNCED = 8  # reported by a tie for dissent never voiced this month
