"""Three-valued evaluation of the rule conditions in rules.yml.

A condition is true, false, or undecided because a fact is still unknown; undecided conditions
are what turn into `missing`. See the header of rules.yml for the condition language.
"""

from __future__ import annotations

import datetime
from typing import Any, List, Mapping, Optional, Tuple

#: Result of evaluating a condition: True, False, or None (undecided).
Truth = Optional[bool]

UNKNOWN = object()
OPERATORS = {
    "known",
    "not_in",
    "days_before_today_under",
    "before",
    "on_or_before",
    "after",
    "on_or_after",
    "not_in_or_unknown",
    "known_not_in",
}
#: Operators that decide while the fact is still unknown, so they never make anyone be asked:
#: `not_in_or_unknown` holds for an unknown fact, `known_not_in` fails for one.
UNKNOWN_IS = {"not_in_or_unknown": True, "known_not_in": False}


class ConditionError(ValueError):
    """The rules data uses an operator or value the engine does not understand."""


def _as_date(value: Any, today: datetime.date) -> datetime.date:
    if value == "today":
        return today
    if isinstance(value, datetime.date):
        return value
    raise ConditionError(f"not a date: {value!r}")


def _test(actual: Any, expected: Any, today: datetime.date) -> bool:
    if isinstance(expected, list):
        return actual in expected
    if not isinstance(expected, dict):
        return actual == expected
    ((op, arg),) = expected.items()
    if op == "known":
        return True
    if op in ("not_in", "not_in_or_unknown", "known_not_in"):
        return actual not in arg
    if op == "days_before_today_under":
        return (today - actual).days < int(arg)
    bound = _as_date(arg, today)
    if op == "before":
        return actual < bound
    if op == "on_or_before":
        return actual <= bound
    if op == "after":
        return actual > bound
    if op == "on_or_after":
        return actual >= bound
    raise ConditionError(f"unknown operator {op!r}")


def evaluate(
    when: Mapping[str, Any], facts: Mapping[str, Any], today: datetime.date, every: bool = False
) -> Tuple[Truth, List[str]]:
    """Evaluate a conjunction; return its truth and the fact names that left it undecided.

    `facts` maps a name to its value, or to UNKNOWN while it is not known. One false part
    makes the whole false at once, so nobody is asked what cannot change the result.
    `every`: name every undecided fact, not only the first (the look-ahead of `missing`).
    """
    undecided: List[str] = []
    for name, expected in when.items():
        actual = today if name == "today" else facts.get(name, UNKNOWN)
        if actual is UNKNOWN and isinstance(expected, dict) and next(iter(expected)) in UNKNOWN_IS:
            if UNKNOWN_IS[next(iter(expected))]:
                continue
            return False, []
        if actual is UNKNOWN:
            undecided.append(name)
            continue
        if not _test(actual, expected, today):
            return False, []
    if undecided:
        # Conditions are written in the order a person is asked: a later fact may matter only
        # once the earlier ones are known ("UKR status on 4 June 2025" only if it began later).
        return None, undecided if every else undecided[:1]
    return True, []


def check(when: Mapping[str, Any], known_names: List[str]) -> None:
    """Fail early on a typo in the rules data: unknown fact names or operators."""
    for name, expected in when.items():
        if name != "today" and name not in known_names:
            raise ConditionError(f"unknown fact {name!r} in a condition")
        if isinstance(expected, dict):
            ((op, _),) = expected.items()
            if op not in OPERATORS:
                raise ConditionError(f"unknown operator {op!r}")
