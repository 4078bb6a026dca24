"""What the person wants: the procedure and the purpose.

A procedure or purpose is taken only from a message about what the person wants (the question asked
is about it, the message states an aim, or it is a bare answer made of the legal name):
"I have to check my visa sticker" answers the end-date question and is not a visa application.
"""

from __future__ import annotations

from typing import List

from bot.understanding.countries import find_countries
from bot.understanding.held import is_held
from bot.understanding.lexicon import Match, longest_first
from bot.understanding.reading import Reading

#: words that leave a legal name "bare" ("the residence card please")
BARE_FILLER = {
    "a",
    "an",
    "the",
    "i",
    "im",
    "it",
    "its",
    "is",
    "for",
    "ok",
    "okay",
    "so",
    "well",
    "please",
    "just",
    "me",
    "my",
    "we",
    "to",
    "of",
    "and",
    "again",
    "yes",
    "hi",
    "hello",
    "dzien",
    "dobry",
    "czesc",
    "privet",
    "привет",
    "привіт",
    "здравствуйте",
    "добрый",
    "день",
    "добрий",
    "вітаю",
    "na",
    "do",
    "на",
    "это",
    "це",
    "to",
    "jest",
    "pan",
    "pani",
    "sir",
    "madam",
    "mam",
    "у",
    "меня",
    "мене",
    "в",
    "z",
    "з",
}
#: "Residence card" names the whole family of cards; one of these beside it is what is meant.
SPECIFIC_CARDS = {"cukr", "eu_family_residence_card", "uk_withdrawal_agreement_card"}
#: "join": someone coming to the typer ("how can she join me?"), weaker than a purpose said beside it
#: ("can she come to study?")
_RANK = {"aim": 0, "name": 0, "stay": 1, "join": 1, "word": 2}


class _Aims:
    """What makes a procedure or purpose phrase count in this message."""

    def __init__(self, r: Reading):
        self.r = r
        # a purpose said as an aim ("for work") makes the message about what the person wants
        # "I mean the karta pobytu": a correction says what the person wants as much as "I want"
        self.aims = r.kind("aim", "correction")
        # "temporary residence for work": a purpose said as an aim in the same clause makes a legal name an aim
        self.purpose_aim_clauses = {r.clause_of(m.start) for m in longest_first(r.kind("purpose")) if m.label[2] == "aim"}
        self.about_aim = r.asking in ("procedure", "purpose")
        self.countries = find_countries(r.tokens)
        self.taken: List[Match] = []

    def aimed(self, m: Match) -> bool:
        clause = self.r.clause_of(m.start)
        return any(self.r.clause_of(a.start) == clause and a.start < m.start and m.start - a.end <= 3 for a in self.aims)

    def rest(self, chosen: List[Match]) -> list:
        """The words of the message outside its phrases and fillers."""
        r = self.r
        covered = {k for m in chosen for k in range(m.start, m.end)}
        # "residence card for my wife" is as bare as "residence card"
        covered |= {k for m in r.kind("asks_why", "dont_know", "subject") for k in range(m.start, m.end)}
        covered |= {k for m in r.kind("affirm") if m.start == 0 for k in range(m.start, m.end)}
        return [t for k, t in enumerate(r.tokens) if k not in covered and t.surf not in BARE_FILLER]

    def excluded(self, section: str, m: Match) -> bool:
        r = self.r
        clause = r.clause_of(m.start)
        # "I don't want to work", "not for work"
        if any(r.clause_of(n.start) == clause and n.end <= m.start for n in r.negating()):
            return True
        # the asker's own job is not the applicant's purpose; a family purpose names the other person
        family = m.label[1].startswith("family")
        if section == "purpose" and not self.about_aim and not family and not r.compatible(m.start):
            return True
        # "my friend got a residence card", "my wife has a temporary residence permit": what someone
        # else has is not what the applicant asks for
        who = r.about(m.start)
        if who == "nobody" or (who not in (None, "self") and not r.compatible(m.start) and not family):
            return True
        if self._typers_own(m):
            return True
        # "Turkish citizenship" is the person's citizenship, not a wish to become Polish
        if m.label[1] == "citizenship" and any(
            r.clause_of(c.start) == clause or (m.length == 1 and abs(c.start - m.end) <= 1) for c in self.countries
        ):
            return True
        # "виза до марта", "on a karta pobytu": a document one holds is a status, not the wish
        if section == "procedure" and is_held(r, m):
            return True
        # "zmieniłem pracodawcę" is a change of permit, not a purpose "work"
        return m.label[2] == "word" and any(p.start <= m.start and m.end <= p.end for p in self.taken)

    def _typers_own(self, m: Match) -> bool:
        """ "my wife is in Cairo ... I work here on a karta pobytu": while the application is someone
        else's, what the typer says of themselves, with no wish in the clause, is their own situation."""
        r = self.r
        if not r.applicant_other or m.label[1].startswith("family") or r.about(m.start) != "self":
            return False
        return not r.in_clause(self.aims, r.clause_of(m.start))

    def accepted(self, m: Match, rest: list) -> bool:
        level = m.label[2]
        # renewing or staying on is a wish by itself ("can I stay longer?"), so is someone's coming
        if level in ("aim", "stay", "join") or self.about_aim:
            return True
        if level in ("name", "stay"):
            return bool(self.aims) or self.r.clause_of(m.start) in self.purpose_aim_clauses or len(rest) <= 1
        return self.aimed(m) or (not rest and self.r.asking is None)

    def best(self, accepted: List[Match]) -> Match:
        # the most specific wins: what the person says they want, then aims and legal names before
        # single words, then the longest; "карту побиту CUKR": the named card wins over the generic
        # "residence card" beside it
        specific = any(m.label[1] in SPECIFIC_CARDS for m in accepted)
        return min(
            accepted,
            key=lambda m: (
                not self.aimed(m),
                specific and m.label[1] == "temporary_residence",
                _RANK[m.label[2]],
                -m.length,
                m.start,
            ),
        )


def _phrases(r: Reading, section: str) -> List[Match]:
    """The section's phrases, overlaps resolved; a "stay" phrase yields to any other reading it
    overlaps ("can I stay forever" is permanent residence) and to an ignore entry."""
    strong = longest_first([m for m in r.kind(section) if m.label[2] != "stay"])
    stay = [
        m
        for m in r.kind(section)
        if m.label[2] == "stay" and not any(s.start < m.end and m.start < s.end and s.label[1] != m.label[1] for s in strong)
    ]
    return [m for m in longest_first(strong + stay) if m.label[1] != "ignore"]


#: the procedure for someone coming to live with a foreigner in Poland (facts 3.1, R-CH-9)
JOINING_PROCEDURE = "temporary_residence"


#: a family purpose that names the citizen joined is what "join my husband" means when both are said
#: ("my husband is Polish, I want to join him"), and so is the typer saying they are Polish
_CITIZEN_FAMILY = ("family_of_polish_citizen", "family_of_eu_citizen", "family_of_uk_citizen")
SPONSOR_POLISH = "family_of_polish_citizen"


def _most_specific(accepted: List[Match]) -> List[Match]:
    if any(m.label[1] in _CITIZEN_FAMILY for m in accepted):
        return [m for m in accepted if m.label[1] != "family_reunification"] or accepted
    return accepted


def _polish_sponsor(r: Reading) -> None:
    """ "jestem Polakiem, chcę sprowadzić żonę": a Polish typer's family joins a Polish citizen."""
    purpose = r.facts.get("purpose")
    if not purpose or purpose[0] != "family_reunification":
        return
    for m in r.kind("polish_sponsor"):
        if not r.negated(r.clause_of(m.start), m):
            r.facts["purpose"] = (SPONSOR_POLISH, f"phrase: {r.span_text(m.start, m.end)}", purpose[2])
            return


def _alternatives(r: Reading, candidates: List[Match]) -> bool:
    """ "a visa, a work permit or a residence card?": two procedures joined by "or" in one sentence are
    the choice the person is unsure of, not what they want."""
    joins = r.kind("alternative")
    for a in candidates:
        for b in candidates:
            if a.label[1] == b.label[1] or a.end > b.start:
                continue
            sentence = r.tokens[a.start].sentence
            if r.tokens[b.start].sentence == sentence and any(a.end <= j.start and j.end <= b.start for j in joins):
                return True
    return False


def read_wants(r: Reading) -> None:
    aims = _Aims(r)
    for section in ("procedure", "purpose"):
        chosen = _phrases(r, section)
        if section == "procedure" and _alternatives(r, [m for m in chosen if not aims.excluded(section, m)]):
            continue
        rest = aims.rest(chosen)
        accepted = [m for m in chosen if not aims.excluded(section, m) and aims.accepted(m, rest)]
        if not accepted:
            continue
        best = aims.best(_most_specific(accepted))
        aims.taken.append(best)
        r.put(section, best.label[1], f"phrase: {r.span_text(best.start, best.end)}")
    _polish_sponsor(r)
    joining = [m for m in aims.taken if m.label[0] == "purpose" and m.label[2] == "join"]
    if joining and "procedure" not in r.facts:
        # family reunification is a temporary residence purpose; read from the aim, so confirmed first
        r.facts["procedure"] = (JOINING_PROCEDURE, f"phrase: {r.span_text(joining[0].start, joining[0].end)}", True)
