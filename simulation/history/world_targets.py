"""The world around the party as targets: the record's Europe, read off each run's world columns.

A run of a scenario with the world layer on (docs/ODD.md, "The world around the party";
``historical_world``) reproduces an event of the record or does not: its value is 1 or 0, and
the scorecard reports the share of runs that reproduce it, with Wilson's interval, as for the
succession's sequence (:mod:`~simulation.history.sequence`). None is fitted: the world's
parameters are guesses, and the rate is a result, not a number the scenario was set to reach.

What the runs can show, and what they cannot:

- The failed risings of 1918-22 (Finland, Germany 1919, Hungary's Soviet Republic) lie before
  the world's start (January 1923). The German October of 1923 and the Bulgarian rising of
  September 1923 lie inside it but before the party's first month (January 1924): a run that
  starts with the Soviet state alone (``communist_states`` 1 in January 1924) is one in which
  the crisis of 1923 brought no communist government.
- The outcomes count communist states, not which ones: "eastern Europe" is read as the count,
  and "war with Germany" as any war with a communist state (``at_war``), Germany's of June 1941
  being the record's only one in the window.
- A run without the world's columns (the layer off) does not measure these targets.
"""

from __future__ import annotations

import pandas as pd

from simulation.history.sequence import share_target
from simulation.history.targets import Target, row_at
from simulation.reporting.statistics import first_month_where

#: The window in which the record has no communist government in Europe but the Soviet state:
#: from the party's first month to the month before the Molotov-Ribbentrop pact's partition
#: (the annexations of 1939-40 made Soviet republics, not communist governments).
INTERWAR = ("1924-01", "1939-08")
#: The months the right's seizure of power in Germany is looked for (January 1933, give or take
#: a year: the model's right crosses its bar in a month, not on a date).
GERMANY_1933 = ("1932-01", "1933-12")
#: The months in which the first war must begin: from the war in Europe (September 1939) to
#: the end of the year of the German invasion (22 June 1941). A war that begins earlier is not
#: the record's "by 1941": it would meet the words and miss the history.
WAR_WINDOW = ("1939-09", "1941-12")
#: The month at whose end the communist governments of eastern Europe are counted.
POST_WAR = "1948-12"
#: Communist governments besides the Soviet state in eastern Europe by the end of 1948 in the
#: record (Yugoslavia 1945, Albania and Bulgaria 1946, Poland and Romania 1947,
#: Czechoslovakia 1948; data/countries.csv ``communist_takes_power``).
RECORD_POST_WAR = 6
#: A run reproduces the post-war order when at least half the record's count is communist.
POST_WAR_LEAST = RECORD_POST_WAR // 2


def _months(outcomes: pd.DataFrame) -> pd.Series:
    return outcomes["month"].astype(str)


def _in(outcomes: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    months = _months(outcomes)
    return outcomes.loc[(months >= first) & (months <= last)]


def crisis_1923_failed(outcomes: pd.DataFrame, size: int) -> float:
    """1.0 when the party's first month finds the Soviet state the only communist one."""
    return float(outcomes.sort_values("month")["communist_states"].iloc[0] == 1)


def no_communist_europe(outcomes: pd.DataFrame, size: int) -> float:
    """1.0 when no country but the Soviet state is communist in any month between the wars."""
    return float((_in(outcomes, *INTERWAR)["communist_states"] == 1).all())


def german_right_1933(outcomes: pd.DataFrame, size: int) -> float:
    """1.0 when the right first rules Germany within :data:`GERMANY_1933`.

    A right already in power in the party's first month took it before the record's date.
    """
    first = first_month_where(outcomes, outcomes["german_right"] == 1)
    return float(first is not None and GERMANY_1933[0] <= first <= GERMANY_1933[1])


def first_war_month(outcomes: pd.DataFrame) -> str | None:
    """The first month in which a country is at war with a communist state (None if never)."""
    return first_month_where(outcomes, outcomes["at_war"] == 1)


def war_by_1941(outcomes: pd.DataFrame, size: int) -> float:
    """1.0 when the first war with a communist state begins within :data:`WAR_WINDOW`."""
    first = first_war_month(outcomes)
    return float(first is not None and WAR_WINDOW[0] <= first <= WAR_WINDOW[1])


def eastern_europe_1948(outcomes: pd.DataFrame, size: int) -> float:
    """1.0 when at least :data:`POST_WAR_LEAST` states besides the Soviet one are communist."""
    return float(row_at(outcomes, POST_WAR)["communist_states"] - 1 >= POST_WAR_LEAST)


#: The world's targets, in the order of the record.
WORLD_TARGETS: tuple[Target, ...] = (
    share_target(
        "crisis_1923_failed",
        "the German October of 1923 fails: no communist government but the Soviet one in 1924",
        crisis_1923_failed,
        "countries.csv germany communist_rising_fails 1923-10 [U], bulgaria "
        "communist_rising_fails 1923-09 (WikiBg1923) [V]; history.csv 1923 "
        "risings_1923_failed. The risings of 1918-22 lie before the world's start (1923-01) "
        "and are not measured",
        "share of runs in which communist_states is 1 in the party's first month (January "
        "1924), after the world's German crisis of 1923",
        ("communist_states",),
    ),
    share_target(
        "no_communist_europe_interwar",
        "no communist government in Europe but the Soviet one between the wars",
        no_communist_europe,
        "history.csv 1939 communist_governments_interwar (0 besides the Soviet state) [U: "
        "standard chronology; Mongolia's People's Republic of 1924 lies outside the model]",
        f"share of runs in which communist_states is 1 in every month {INTERWAR[0]} to "
        f"{INTERWAR[1]}",
        ("communist_states",),
    ),
    share_target(
        "german_right_1933",
        "the right takes power in Germany, January 1933",
        german_right_1933,
        "countries.csv germany right_takes_power 1933-01 (GrokNazi: Hitler appointed "
        "chancellor on 30 January 1933) [V]; history.csv 1933 german_right_takes_power_month",
        "share of runs in which german_right first becomes 1 in "
        f"{GERMANY_1933[0]} to {GERMANY_1933[1]}",
        ("german_right",),
    ),
    share_target(
        "war_by_1941",
        "war with Germany by 1941, not before 1939-09 (read as: a war with a communist state)",
        war_by_1941,
        "history.csv 1941 german_invasion_month (22 June 1941) [U: standard chronology]",
        f"share of runs in which at_war first becomes 1 in {WAR_WINDOW[0]} to {WAR_WINDOW[1]}: "
        "the outcomes do not name the enemy",
        ("at_war",),
    ),
    share_target(
        "eastern_europe_communist_1948",
        "communist governments in eastern Europe by 1948",
        eastern_europe_1948,
        "countries.csv communist_takes_power (Yugoslavia 1945, Albania and Bulgaria 1946, "
        "Poland and Romania 1947, Czechoslovakia 1948) [U: standard chronology]; history.csv "
        "1948 communist_governments_eastern_europe",
        f"share of runs with at least {POST_WAR_LEAST} communist states besides the Soviet one "
        f"at the end of {POST_WAR} (the record's {RECORD_POST_WAR}); the count does not say "
        "where they lie",
        ("communist_states",),
    ),
)
