"""Yes/no facts (PESEL, UKR status, Trusted Profile, qualified signature, minor) and a yes or no
answering the yes/no question asked. Negation is looked for in the same clause first
("no, I don't have one")."""

from __future__ import annotations

from bot.understanding.lexicon import Match, longest_first
from bot.understanding.reading import Reading

BOOL_FIELDS = (
    "in_poland",
    "ukr_status",
    "ukr_status_on_2025_06_04",
    "minor",
    "has_pesel",
    "has_trusted_profile",
    "has_qualified_signature",
)
#: vocabulary section for each yes/no fact read from keywords
KEYWORD_SECTION = {
    "ukr_status": "ukr_status",
    "ukr_status_on_2025_06_04": "ukr_status_on_2025_06_04",
    "has_pesel": "pesel",
    "has_trusted_profile": "trusted_profile",
    "has_qualified_signature": "qualified_signature",
    "minor": "minor",
}
#: facts that need a verb of having ("I have a PESEL") when they are not the question asked
NEEDS_POSSESSION = ("has_pesel", "has_trusted_profile", "has_qualified_signature")


def _keyword_counts(r: Reading, name: str, m: Match, possession) -> bool:
    """Whether keyword phrase `m` states the fact `name` about the applicant."""
    direct = r.asking == name
    if m.label[1] == "ignore" or (m.label[1] == "false_if_asked" and not direct):
        return False
    clause = r.clause_of(m.start)
    if r.in_clause(r.dont_know, clause):
        return False
    if direct and r.in_clause(r.questions, clause) and not r.in_clause(possession, clause):
        return False
    if not r.compatible(m.start, direct):
        return False
    if direct:
        return True
    if r.in_clause(r.questions, clause):
        return False
    # "PESEL UKR" (two words) is a number one has; "PESEL" alone may be a question about it
    return not (name in NEEDS_POSSESSION and not (r.in_clause(possession, clause) or r.negated(clause) or m.length >= 2))


def read_keyword_bools(r: Reading) -> None:
    # words of having, except inside a question ("co to jest ...")
    asked = {k for m in r.questions for k in range(m.start, m.end)}
    possession = [m for m in r.kind("possession") if m.start not in asked] + r.affirms
    for name, section in KEYWORD_SECTION.items():
        for m in longest_first(r.kind(section)):
            if not _keyword_counts(r, name, m, possession):
                continue
            if m.label[1] == "false_if_asked":
                value = False
            else:
                value = (m.label[1] == "true") != r.negated(r.clause_of(m.start), m)
            r.put(name, value, f"phrase: {r.span_text(m.start, m.end)}")
            break


def read_answer(r: Reading) -> None:
    """A yes or no to the yes/no question asked."""
    asking = r.asking
    if asking not in BOOL_FIELDS or asking in r.facts or r.dont_know:
        return
    # "no, I mean temporary residence": the "no" rejects an earlier reading, it does not answer
    if r.correction and r.facts:
        return
    first = sorted(r.negations + r.affirms, key=lambda m: m.start)
    if not first:
        return
    # a yes or no opens the answer ("no, I don't have one"); "I have two kids" is not a yes
    clause_len = sum(1 for t in r.tokens if t.clause == r.clause_of(first[0].start))
    if (
        first[0].start == 0
        and first[0].length == 1
        or len(r.tokens) <= 4
        or clause_len <= 3
        and r.compatible(first[0].start, direct=True)
    ):
        # negation first: "no, I don't have one" holds "I have" too
        m = r.negations[0] if r.negations else first[0]
        r.put(asking, not r.negations, f"answer: {r.span_text(m.start, m.end)}")
