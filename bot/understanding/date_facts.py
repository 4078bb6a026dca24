"""Which field a date in the message goes to: only the date field being asked, or the one its
words point to ("valid until" / "since" with UKR); a birth date is never either."""
from __future__ import annotations

from bot.understanding.dates import DateMention
from bot.understanding.held import held_documents
from bot.understanding.reading import Reading

DATE_FIELDS = ("permit_expires", "ukr_status_since")


def _answers_asked(r: Reading, date: DateMention, near: set) -> bool:
    """Whether a date in the answer to a date question is that answer."""
    if date.bare and len(r.tokens) > 3 and not near:
        return False
    # "the decision came on 12 May 2026": a past day answers the end date only with its words
    return not (r.asking == "permit_expires" and date.for_field(r.asking) < r.today
                and "permit_expires" not in near and len(r.tokens) > 3)


def _held_before(r: Reading, date: DateMention) -> bool:
    """"виза до марта", "my visa ends in March": a held document before the date in its clause."""
    clause = r.clause_of(date.start)
    return any(r.clause_of(m.start) == clause and m.end <= date.start for m in held_documents(r))


def _free_date(r: Reading, date: DateMention, near: set, ukr_context: bool) -> bool:
    """A date outside a date question, put where its words point; True when it was taken."""
    # "it ends in January" is no day; "until the end of December" is, and so is the month a visa or
    # card one holds ends in (its last day, as for "March 2027")
    if date.bare and not ("permit_expires" in near and ("month_end" in near or _held_before(r, date))):
        return False
    if "permit_expires" in near and not ("ukr_status_since" in near and ukr_context):
        r.put("permit_expires", date.for_field("permit_expires"), f"date: {date.text}")
        return True
    if ukr_context and ("ukr_status_since" in near or date.for_field("ukr_status_since") <= r.today):
        r.put("ukr_status_since", date.for_field("ukr_status_since"), f"date: {date.text}")
        return True
    return False


def read_dates(r: Reading) -> None:
    dates = r.dates
    if not dates:
        return
    cues = r.kind("date_cue")
    ukr_context = r.asking in ("ukr_status", "ukr_status_since") or bool(r.kind("ukr_status")) \
        or r.known.get("ukr_status") is True
    for date in dates:
        clause = r.clause_of(date.start)
        in_clause = {m.label[1] for m in cues if r.clause_of(m.start) == clause}
        near = {m.label[1] for m in cues if r.clause_of(m.start) == clause and m.start < date.start}
        if "birth" in in_clause:
            continue
        if r.asking in DATE_FIELDS:
            if not _answers_asked(r, date, near):
                continue
            r.put(r.asking, date.for_field(r.asking), f"date: {date.text}")
            return
        if _free_date(r, date, near, ukr_context):
            return
