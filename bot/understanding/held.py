"""Documents the person already holds: "виза до марта", "my visa ends in March", "I work here on a
karta pobytu", "ja mam kartę pobytu". A document named with its end date or as something held is the
person's present status, not the procedure they ask for (a consulate visa for someone in Poland on a
visa ending in March is harmful advice); its date is the end date (date_facts).
"""

from __future__ import annotations

from typing import List

from bot.understanding.lexicon import Match
from bot.understanding.reading import Reading

#: procedures that are also a document one can hold; the others name an action ("extend my visa")
DOCUMENTS = {
    "visa",
    "temporary_residence",
    "work_permit",
    "cukr",
    "permanent_residence",
    "eu_long_term_resident",
    "eu_family_residence_card",
    "uk_withdrawal_agreement_card",
}
#: how far before a document a holding word or an aim still belongs to it ("on a valid karta pobytu")
_REACH = 3


def _wished(r: Reading, m: Match) -> bool:
    """ "I need a visa", "how do I get a national visa", "renew my card": an aim in the phrase or just before it."""
    clause = r.clause_of(m.start)
    return any(
        r.clause_of(a.start) == clause and a.start < m.end and m.start - a.end <= _REACH for a in r.kind("aim", "correction")
    )


def _named_as_held(r: Reading, m: Match) -> bool:
    clause = r.clause_of(m.start)
    holding = any(
        r.clause_of(h.start) == clause and h.end <= m.start and m.start - h.end <= _REACH - 1 for h in r.kind("holding")
    )
    # "visa until March": an end cue after it, then a date; "wiza do Polski" is no end date
    ends = any(
        r.clause_of(c.start) == clause
        and c.start >= m.end
        and any(r.clause_of(d.start) == clause and d.start >= c.end for d in r.dates)
        for c in r.kind("date_cue")
        if c.label[1] == "permit_expires"
    )
    # "oswiadczenie uzhe est", "the work permit is already registered": said as done just after it
    done = any(r.clause_of(h.start) == clause and 0 <= h.start - m.end <= 1 for h in r.kind("held_after"))
    # "the firm already registered an oświadczenie for me": a done-word shortly before it
    done = done or any(r.clause_of(h.start) == clause and 0 <= m.start - h.end <= _REACH for h in r.kind("held_before"))
    return holding or ends or done


def is_held(r: Reading, m: Match) -> bool:
    """Whether procedure phrase `m` names a document the person holds rather than one they ask for."""
    if m.label[1] not in DOCUMENTS or m.label[2] in ("stay", "aim") or _wished(r, m):
        return False
    return _named_as_held(r, m)


def held_documents(r: Reading) -> List[Match]:
    """Every held document named, also where an ignore entry cancels its reading as a wish ("visa until")."""
    return [m for m in r.kind("procedure") if m.label[1] != "ignore" and is_held(r, m)]
