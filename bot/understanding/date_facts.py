"""Which field a date in the message goes to: only the date field being asked, or the one its
words point to ("valid until" / "since" with UKR); a birth date is never either."""

from __future__ import annotations

import datetime
import re
from typing import Optional, Tuple

from bot.routing import load_rules

from bot.understanding.dates import DateMention
from bot.understanding.held import held_documents
from bot.understanding.reading import Reading

DATE_FIELDS = ("permit_expires", "ukr_status_since")
_YEAR = re.compile(r"\b\d{4}\b|\d{1,2}[./-]\d{1,2}[./-]\d{2}\b")
#: the day on which UKR status must have been held (rules.yml constants, Art. 42c)
REFERENCE_DAY = datetime.date.fromisoformat(str(load_rules().constants["ukr_reference_day"]))


def _answers_asked(r: Reading, date: DateMention, near: set) -> bool:
    """Whether a date in the answer to a date question is that answer."""
    if date.bare and len(r.tokens) > 3 and not near:
        return False
    # "the decision came on 12 May 2026": a past day answers the end date only with its words
    return not (
        r.asking == "permit_expires"
        and date.for_field(r.asking) < r.today
        and "permit_expires" not in near
        and len(r.tokens) > 3
    )


def _held_before(r: Reading, date: DateMention) -> bool:
    """ "виза до марта", "my visa ends in March": a held document before the date in its clause."""
    clause = r.clause_of(date.start)
    return any(r.clause_of(m.start) == clause and m.end <= date.start for m in held_documents(r))


def _free_field(r: Reading, date: DateMention, near: set, ukr_context: bool) -> Optional[str]:
    """The field a date outside a date question goes to, by its words; None when it goes nowhere."""
    # "it ends in January" is no day; "until the end of December" is, and so is the month a visa or
    # card one holds ends in (its last day, as for "March 2027")
    if date.bare and not ("permit_expires" in near and ("month_end" in near or _held_before(r, date))):
        return None
    if "permit_expires" in near and not ("ukr_status_since" in near and ukr_context):
        return "permit_expires"
    if ukr_context and ("ukr_status_since" in near or date.for_field("ukr_status_since") <= r.today):
        return "ukr_status_since"
    return None


def _refines(exact: DateMention, month: DateMention) -> bool:
    return (
        exact.day_given
        and not month.day_given
        and not month.bare
        and (exact.value.year, exact.value.month) == (month.value.year, month.value.month)
    )


def _field_of(r: Reading, date: DateMention, cues: list, ukr_context: bool) -> Optional[str]:
    clause = r.clause_of(date.start)
    in_clause = {m.label[1] for m in cues if r.clause_of(m.start) == clause}
    near = {m.label[1] for m in cues if r.clause_of(m.start) == clause and m.start < date.start}
    if "birth" in in_clause:
        return None
    if r.asking in DATE_FIELDS:
        return r.asking if _answers_asked(r, date, near) else None
    return _free_field(r, date, near, ukr_context)


def _cued(r: Reading, date: DateMention, cues: list, kind: str) -> bool:
    clause = r.clause_of(date.start)
    return any(m.label[1] == kind and r.clause_of(m.start) == clause and m.start < date.start for m in cues)


def _got_again(r: Reading, date: DateMention, cues: list) -> bool:
    """ "потом снова оформила, с 6 октября 2025": "again" before the date, in its sentence (a comma between)."""
    sentence = r.tokens[date.start].sentence if date.start < len(r.tokens) else -1
    return any(
        m.label[1] == "again"
        and r.tokens[m.start].sentence == sentence
        and m.start < date.start
        and not any(m.start < d.start < date.start for d in r.dates)
        for m in cues
    )


def _reference_day(r: Reading, date: DateMention, cues: list, ukr_context: bool) -> bool:
    """ "і 4 червня 2025 теж мав": the day the CUKR law asks about, said without "since", is that fact."""
    if not (ukr_context and date.day_given and not date.bare) or r.asking in DATE_FIELDS:
        return False
    return date.value == REFERENCE_DAY and not _cued(r, date, cues, "ukr_status_since")


def read_dates(r: Reading) -> None:
    dates = r.dates
    if not dates:
        return
    cues = r.kind("date_cue")
    ukr_context = (
        r.asking in ("ukr_status", "ukr_status_since", "ukr_status_on_2025_06_04")
        or bool(r.kind("ukr_status"))
        or r.known.get("ukr_status") is True
    )
    chosen: Optional[Tuple[str, DateMention]] = None
    for date in dates:
        if _reference_day(r, date, cues, ukr_context):
            r.put("ukr_status_on_2025_06_04", not r.negated(r.clause_of(date.start)), f"date: {date.text}")
            continue
        field = _field_of(r, date, cues, ukr_context)
        if field is None:
            continue
        # the first date read wins, except that an exact day in that month beats the month said for the
        # same field ("з березня 2022 ... UKR з 10.03.2022"); "for a month" later is another matter; and
        # a status got again ("знову отримав UKR 20.11.2025") is the current one
        again = field == "ukr_status_since" and _got_again(r, date, cues)
        # "90 days from 12 sept, so 10.12.2026": a day with its year beats one whose year was guessed
        dated = _YEAR.search(date.text) and not _YEAR.search(chosen[1].text) if chosen else False
        if chosen is None or (chosen[0] == field and (_refines(date, chosen[1]) or again or dated)):
            chosen = (field, date)
    if chosen:
        field, date = chosen
        if field == "ukr_status_since" and _got_again(r, date, cues):
            r.put("ukr_status", True, "date: status got again")  # "lost it, got it again": held now
        r.put(field, date.for_field(field), f"date: {date.text}")
