"""The rules that turn a message's matched phrases into Situation facts.

Why the rules are shaped as they are (each one fixes a reported misunderstanding):
- a procedure or purpose is taken only from a message about what the person wants (the question
  asked is about it, the message states an aim, or it is a bare answer made of the legal name):
  "I have to check my visa sticker" answers the end-date question and is not a visa application;
- citizenship prefers the country the person is from or a citizen of over countries they came
  through, live in or that issued a permit;
- a date goes only to the date field being asked, or to the one its words point to;
- facts about another person than the applicant ("my wife is in Cairo, I'm in Katowice") go to
  the applicant only; negation is looked for in the same clause first ("no, I don't have one").
"""
from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from rapidfuzz import fuzz, process

from bot.understanding.countries import Mention, english_name, country_index, find_countries
from bot.understanding.dates import find_dates
from bot.understanding.lexicon import Match, longest_first
from bot.understanding.text import Token, tokenize
from bot.understanding.vocab import LANGUAGES, Vocab, raw, vocab

BOOL_FIELDS = ("in_poland", "ukr_status", "ukr_status_on_2025_06_04", "minor", "has_pesel", "has_trusted_profile",
               "has_qualified_signature")
DATE_FIELDS = ("permit_expires", "ukr_status_since")
#: vocabulary section for each yes/no fact read from keywords
KEYWORD_SECTION = {"ukr_status": "ukr_status", "ukr_status_on_2025_06_04": "ukr_status_on_2025_06_04",
                   "has_pesel": "pesel", "has_trusted_profile": "trusted_profile",
                   "has_qualified_signature": "qualified_signature", "minor": "minor"}
#: facts that need a verb of having ("I have a PESEL") when they are not the question asked
NEEDS_POSSESSION = ("has_pesel", "has_trusted_profile", "has_qualified_signature")
_ARTICLES = {"a", "an", "the"}
_BARE_FILLER = {"a", "an", "the", "i", "im", "it", "its", "is", "for", "ok", "okay", "so", "well", "please", "just",
                "me", "my", "we", "to", "of", "and", "again", "yes", "hi", "hello", "dzien", "dobry", "czesc",
                "privet", "привет", "привіт", "здравствуйте", "добрый", "день", "добрий", "вітаю", "na", "do", "на",
                "это", "це", "to", "jest", "pan", "pani", "sir", "madam", "mam", "у", "меня", "мене", "в", "z", "з"}


@lru_cache(maxsize=None)
def _fuzzy_choices(lang: str) -> List[str]:
    names = country_index()[0]
    countries = {key[0] for key in names if len(key) == 1 and len(key[0]) >= 5}
    return sorted(set(vocab(lang).fuzzy_words) | countries)


@lru_cache(maxsize=8192)
def _fuzzy(word: str, lang: str) -> Optional[str]:
    choices = _fuzzy_choices(lang)
    cutoff = 90 if len(word) <= 6 else 85
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return best[0] if best else None


def _spell(tokens: List[Token], v: Vocab, lang: str) -> None:
    names = country_index()[0]
    for token in tokens:
        word = token.surf
        if len(word) < 5 or not word.isalpha() or word in v.lexicon.words or token.lemma in v.lexicon.words:
            continue
        if (word,) in names or (token.lemma,) in names:
            continue
        token.fuzzy = _fuzzy(word, lang)


class _Doc:
    """One message, its tokens and its phrase matches grouped by kind."""

    def __init__(self, text: str, lang: str, today: datetime.date):
        self.text = text
        self.lang = lang
        self.v = vocab(lang)
        self.tokens = tokenize(text, lang, self.v.clause_breaks)
        for token in self.tokens:
            # "dont" must stay a negation, not become "do"
            if token.surf in self.v.keep_surface:
                token.lemma = token.surf
        _spell(self.tokens, self.v, lang)
        self.matches = self.v.lexicon.find(self.tokens)
        self.today = today
        self.language_request: Optional[str] = None
        self.asking: Optional[str] = None

    def kind(self, *names: str) -> List[Match]:
        return [m for m in self.matches if m.label[0] in names]

    def span_text(self, start: int, end: int) -> str:
        if start >= end:
            return ""
        return self.text[self.tokens[start].start:self.tokens[end - 1].end]

    def clause_of(self, index: int) -> int:
        return self.tokens[min(index, len(self.tokens) - 1)].clause if self.tokens else 0

    def in_clause(self, matches: List[Match], clause: int) -> List[Match]:
        return [m for m in matches if self.clause_of(m.start) == clause]


def _exact_value(text: str, asking: Optional[str]) -> Optional[Any]:
    """A button value typed or sent as text: "temporary_residence", "true", "UA", "2027-03-14"."""
    if not asking:
        return None
    if asking in ("procedure", "purpose"):
        allowed = raw("en").get(asking) or {}
        return text if text in allowed and text != "ignore" else None
    if asking in BOOL_FIELDS and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if asking == "citizenship" and re.fullmatch(r"[A-Z]{2}", text):
        import pycountry

        return text if pycountry.countries.get(alpha_2=text) else None
    if asking in DATE_FIELDS and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def read(text: str, language: str, asking: Optional[str], today: datetime.date, known: Dict[str, Any],
         Understood, Fact):
    lang = language if language in LANGUAGES else "en"
    out = Understood()
    exact = _exact_value(text.strip(), asking)
    if exact is not None:
        out.facts[asking] = Fact(asking, exact, f"value: {text.strip()}", False)
        return out
    doc = _Doc(text, lang, today)
    doc.asking = asking
    if not doc.tokens:
        return out
    facts: Dict[str, Tuple[Any, str, bool]] = {}

    talk = longest_first(doc.kind("negate", "affirm", "dont_know", "asks_why", "question"))
    negations = [m for m in talk if m.label[0] == "negate"]
    affirms = [m for m in talk if m.label[0] == "affirm"]
    dont_know = [m for m in talk if m.label[0] == "dont_know"]
    out.asks_why = any(m.label[0] == "asks_why" for m in talk)
    questions = [m for m in talk if m.label[0] == "question"]

    out.language_request = _language_request(doc)
    doc.language_request = out.language_request
    subjects = [m for m in longest_first(doc.kind("subject")) if m.label[1] != "ignore"]
    if subjects:
        out.subject = subjects[0].label[1]
    subject = out.subject or known.get("subject")
    applicant_other = subject not in (None, "self")
    persons = doc.kind("person")

    def about(index: int) -> Optional[str]:
        """Who the words at `index` are about: the nearest person named before them in the clause, or
        in the two clauses before ("my husband is Ukrainian and has UKR")."""
        sentence = doc.tokens[min(index, len(doc.tokens) - 1)].sentence
        before = [m for m in persons if m.start <= index and doc.tokens[m.start].sentence == sentence]
        if not before:
            return None
        # on one word both ways ("маю" -> lemma "мати", also "mother"), the speaker wins
        return max(before, key=lambda m: (m.start, m.label[1] == "self")).label[1]

    def compatible(index: int, direct: bool = False, who: Optional[str] = "?") -> bool:
        """Whether the words at `index` are about the applicant. `direct`: they answer our question,
        which was about the applicant, so "he", "she" and, while we do not know who it is, "my son" are."""
        who = about(index) if who == "?" else who
        if who is None:
            return True
        if who == "self":
            return not applicant_other
        if who == "nobody":
            return False
        if who == "other":  # he, she: someone else than the speaker
            return applicant_other or direct
        if subject is None:
            return direct
        return who == subject

    doc.about = about

    def negated(clause: int, within: Optional[Match] = None) -> bool:
        """A negation in the clause, outside the phrase itself ("not in Poland" already says no)."""
        return any(not (within and within.start <= n.start and n.end <= within.end)
                   for n in doc.in_clause(negations, clause))

    def put(name: str, value: Any, how: str) -> None:
        if name not in facts:
            facts[name] = (value, how, asking != name)

    _aims(doc, asking, put, compatible, negations)
    _citizenship(doc, asking, put, compatible)
    _dates(doc, asking, known, put)
    _keyword_bools(doc, asking, put, negated, compatible, questions, dont_know, affirms)
    _in_poland(doc, asking, put, negated, compatible)
    _age(doc, asking, put, compatible, today)

    # a yes or no to the yes/no question asked
    if asking in BOOL_FIELDS and asking not in facts and not dont_know:
        first = sorted(negations + affirms, key=lambda m: m.start)
        # a yes or no opens the answer ("no, I don't have one"); "I have two kids" is not a yes
        clause_len = sum(1 for t in doc.tokens if first and t.clause == doc.clause_of(first[0].start))
        if first and (first[0].start == 0 and first[0].length == 1 or len(doc.tokens) <= 4
                      or clause_len <= 3 and compatible(first[0].start, direct=True)):
            # negation first: "no, I don't have one" holds "I have" too
            value = not negations
            m = negations[0] if negations else first[0]
            put(asking, value, f"answer: {doc.span_text(m.start, m.end)}")

    for name, (value, how, inferred) in facts.items():
        out.facts[name] = Fact(name, value, how, inferred)
    out.dont_know = bool(dont_know) and (asking is None or asking not in facts)
    return out


def _language_request(doc: _Doc) -> Optional[str]:
    requests = longest_first(doc.kind("lang"))
    if not requests:
        return None
    if len({m.label[1] for m in requests}) > 1:
        return None  # "I speak Russian and a bit of Polish" tells, does not ask
    if doc.kind("lang_marker"):
        return requests[0].label[1]
    if doc.asking == "citizenship":
        return None  # "Polish" answers the question
    # a language's name alone ("Polish") asks for it only as the whole message
    bare = [m for m in requests if m.length >= 2 or len(doc.tokens) == 1]
    if bare and len(doc.tokens) <= 5:
        return bare[0].label[1]
    return None


#: "Residence card" names the whole family of cards; one of these beside it is what is meant.
_SPECIFIC_CARDS = {"cukr", "eu_family_residence_card", "uk_withdrawal_agreement_card"}


def _aims(doc: _Doc, asking: Optional[str], put, compatible, negations) -> None:
    # a purpose said as an aim ("for work") makes the message about what the person wants
    aims = doc.kind("aim")
    aim_stated = bool(aims)
    # "temporary residence for work": a purpose said as an aim in the same clause makes a legal name an aim
    purpose_aim_clauses = {doc.clause_of(m.start) for m in longest_first(doc.kind("purpose")) if m.label[2] == "aim"}
    taken_spans: List[Match] = []
    about_aim = asking in ("procedure", "purpose")
    countries = find_countries(doc.tokens)

    def aimed(m: Match) -> bool:
        clause = doc.clause_of(m.start)
        return any(doc.clause_of(a.start) == clause and a.start < m.start and m.start - a.end <= 3 for a in aims)

    for section in ("procedure", "purpose"):
        chosen = [m for m in longest_first(doc.kind(section)) if m.label[1] != "ignore"]
        covered = {k for m in chosen for k in range(m.start, m.end)}
        # "residence card for my wife" is as bare as "residence card"
        covered |= {k for m in doc.kind("asks_why", "dont_know", "subject") for k in range(m.start, m.end)}
        covered |= {k for m in doc.kind("affirm") if m.start == 0 for k in range(m.start, m.end)}
        rest = [t for k, t in enumerate(doc.tokens) if k not in covered and t.surf not in _BARE_FILLER]
        bare = len(rest) <= 1
        accepted = []
        for m in chosen:
            level = m.label[2]
            clause = doc.clause_of(m.start)
            # "I don't want to work", "not for work"
            if any(doc.clause_of(n.start) == clause and n.end <= m.start for n in negations):
                continue
            # the asker's own job is not the applicant's purpose; a family purpose names the other person
            if section == "purpose" and not about_aim and not m.label[1].startswith("family") \
                    and not compatible(m.start):
                continue
            # "my friend got a residence card", "my wife has a temporary residence permit": what someone
            # else has is not what the applicant asks for
            who = doc.about(m.start)
            if who == "nobody" or (who not in (None, "self") and not compatible(m.start)
                                   and not m.label[1].startswith("family")):
                continue
            # "Turkish citizenship" is the person's citizenship, not a wish to become Polish
            if m.label[1] == "citizenship" and any(doc.clause_of(c.start) == clause
                                                   or (m.length == 1 and abs(c.start - m.end) <= 1) for c in countries):
                continue
            # "zmieniłem pracodawcę" is a change of permit, not a purpose "work"
            if level == "word" and any(p.start <= m.start and m.end <= p.end for p in taken_spans):
                continue
            if level == "aim" or about_aim or (level == "name" and (aim_stated or clause in purpose_aim_clauses)) \
                    or (level == "word" and aimed(m)):
                accepted.append(m)
            elif level == "name" and bare:
                accepted.append(m)
            elif level == "word" and not rest and asking is None:
                accepted.append(m)
        if not accepted:
            continue
        # the most specific wins: what the person says they want, then aims and legal names before
        # single words, then the longest
        rank = {"aim": 0, "name": 0, "word": 1}
        # "карту побиту CUKR": the named card wins over the generic "residence card" beside it
        specific = any(m.label[1] in _SPECIFIC_CARDS for m in accepted)
        best = min(accepted, key=lambda m: (not aimed(m), specific and m.label[1] == "temporary_residence",
                                            rank[m.label[2]], -m.length, m.start))
        taken_spans.append(best)
        put(section, best.label[1], f"phrase: {doc.span_text(best.start, best.end)}")


def _cue_labels(doc: _Doc, cues: List[Match], index: int, before: bool) -> set:
    """Citizenship cue kinds that end right before (or start right after) token `index`, articles skipped."""
    toks = doc.tokens
    k = index
    if before:
        k -= 1
        while k >= 0 and toks[k].surf in _ARTICLES:
            k -= 1
        # "nationality - Algerian": a cue right before counts across the dash
        return {m.label[1] for m in cues if m.end - 1 == k
                and (k == index - 1 or doc.clause_of(m.start) == doc.clause_of(index))}
    while k < len(toks) and toks[k].surf in _ARTICLES:
        k += 1
    return {m.label[1] for m in cues if m.start == k and doc.clause_of(m.start) == doc.clause_of(index - 1)}


def _citizenship(doc: _Doc, asking: Optional[str], put, compatible) -> None:
    mentions = find_countries(doc.tokens)
    if not mentions:
        return
    cues = doc.kind("cue")
    travel = [m for m in cues if m.label[1] == "travel_verbs"]
    # a country inside a procedure or purpose phrase ("polish citizen husband") is not the applicant's
    phrases = doc.kind("procedure", "purpose", "lang")
    scored: List[Tuple[int, Mention]] = []
    for mention in mentions:
        inside = [p for p in phrases if p.start <= mention.start and mention.end <= p.end]
        if any((p.label[0] == "lang" and doc.language_request)
               or (p.label[0] != "lang" and p.length > mention.end - mention.start and p.label[2] in ("aim", "name"))
               for p in inside):
            continue
        before = _cue_labels(doc, cues, mention.start, True)
        after = _cue_labels(doc, cues, mention.end, False)
        clause = doc.clause_of(mention.start)
        travelled = any(doc.clause_of(t.start) == clause and t.start < mention.start for t in travel)
        if "weak_after" in after or "weak_before" in before and "strong_before" not in before:
            score = 0
        elif "strong_after" in after or ("strong_before" in before and not travelled):
            score = 3
        elif "strong_before" in before and travelled:
            score = 0
        elif "copula" in before:
            # "my wife is Ukrainian", "my boss is Italian": whose citizenship depends on who is named
            score = 3 if compatible(mention.start) and mention.kind == "demonym" and doc.about(mention.start) else 0
        else:
            score = 1
        named_after = [p for p in doc.kind("person") if p.start == mention.end and p.label[1] not in ("self", "other")]
        if named_after:
            # "a Filipino welder", "our new Indian engineer", "my Ukrainian wife"
            fits = compatible(mention.start, who=named_after[0].label[1])
            score = 3 if fits and score else 0
        elif not compatible(mention.start, direct=asking == "citizenship"):
            score = 0
        scored.append((score, mention))
    strong = [m for s, m in scored if s >= 2]
    if strong:
        chosen = strong[0]
    elif asking in ("citizenship", None):
        # outside the question, a bare "Italian" may describe anything; a country's name is kept
        neutral = [m for s, m in scored if s == 1 and (asking == "citizenship" or m.kind == "name")]
        if not neutral:
            return
        chosen = neutral[0]
    else:
        return
    put("citizenship", chosen.code, f"country: {english_name(chosen.code)}")


def _dates(doc: _Doc, asking: Optional[str], known: Dict[str, Any], put) -> None:
    dates = find_dates(doc.text, doc.tokens, doc.lang, doc.today, doc.v)
    if not dates:
        return
    cues = doc.kind("date_cue")
    ukr_context = asking in ("ukr_status", "ukr_status_since") or bool(doc.kind("ukr_status")) \
        or known.get("ukr_status") is True
    for date in dates:
        clause = doc.clause_of(date.start)
        near = {m.label[1] for m in cues if doc.clause_of(m.start) == clause and m.start < date.start}
        if "birth" in near or "birth" in {m.label[1] for m in cues if doc.clause_of(m.start) == clause}:
            continue
        if asking in DATE_FIELDS:
            if date.bare and len(doc.tokens) > 3 and not near:
                continue
            # "the decision came on 12 May 2026": a past day answers the end date only with its words
            if asking == "permit_expires" and date.for_field(asking) < doc.today and "permit_expires" not in near \
                    and len(doc.tokens) > 3:
                continue
            put(asking, date.for_field(asking), f"date: {date.text}")
            return
        # "ends in January" is no day; "until the end of December" is
        if date.bare and not ("permit_expires" in near and "month_end" in near):
            continue
        if "permit_expires" in near and not ("ukr_status_since" in near and ukr_context):
            put("permit_expires", date.for_field("permit_expires"), f"date: {date.text}")
            return
        if ukr_context and ("ukr_status_since" in near or date.for_field("ukr_status_since") <= doc.today):
            put("ukr_status_since", date.for_field("ukr_status_since"), f"date: {date.text}")
            return


def _keyword_bools(doc: _Doc, asking, put, negated, compatible, questions, dont_know, affirms) -> None:
    # words of having, except inside a question ("co to jest ...")
    asked = {k for m in questions for k in range(m.start, m.end)}
    possession = [m for m in doc.kind("possession") if m.start not in asked] + affirms
    for name, section in KEYWORD_SECTION.items():
        found = longest_first(doc.kind(section))
        for m in found:
            if m.label[1] == "ignore":
                continue
            direct = asking == name
            if m.label[1] == "false_if_asked" and not direct:
                continue
            clause = doc.clause_of(m.start)
            if doc.in_clause(dont_know, clause):
                continue
            if direct and doc.in_clause(questions, clause) and not doc.in_clause(possession, clause):
                continue
            if not compatible(m.start, direct):
                continue
            if not direct:
                if doc.in_clause(questions, clause):
                    continue
                # "PESEL UKR" (two words) is a number one has; "PESEL" alone may be a question about it
                if name in NEEDS_POSSESSION and not (doc.in_clause(possession, clause) or negated(clause)
                                                       or m.length >= 2):
                    continue
            if m.label[1] == "false_if_asked":
                put(name, False, f"phrase: {doc.span_text(m.start, m.end)}")
                break
            value = (m.label[1] == "true") != negated(clause, m)
            put(name, value, f"phrase: {doc.span_text(m.start, m.end)}")
            break


def _in_poland(doc: _Doc, asking, put, negated, compatible) -> None:
    candidates: List[Tuple[int, bool, str]] = []
    aim_clauses = {doc.clause_of(m.start) for m in doc.kind("aim")} if asking != "in_poland" else set()
    stated = longest_first(doc.kind("in_poland"))
    ignored = {k for m in stated if m.label[1] == "ignore" for k in range(m.start, m.end)}
    for m in stated:
        clause = doc.clause_of(m.start)
        if m.label[1] == "ignore" or clause in aim_clauses:
            continue
        value = (m.label[1] == "here") != negated(clause, m)
        candidates.append((m.start, value, doc.span_text(m.start, m.end)))
    locatives = doc.kind("locative")
    staying = doc.kind("staying")
    covered = {k for m in doc.kind("in_poland") for k in range(m.start, m.end)}
    places = [(m.start, m.end, m.label[1] == "pl") for m in longest_first(doc.kind("place"))]
    places += [(c.start, c.end, False) for c in find_countries(doc.tokens)]
    for start, end, poland in places:
        # "born in Kazakhstan" is not where one is now; a child born in Gdansk is in Poland
        if start in covered or (start - 1 in ignored and not poland):
            continue
        clause = doc.clause_of(start)
        if clause in aim_clauses:
            continue
        located = any(m.end == start for m in locatives)
        if located and asking != "in_poland":
            # "my employer in Turkey", "the office in Krakow" are not where the person is: a place
            # needs "I am / live / work in" shortly before it
            located = any(m.end == start and any(m.start - 3 <= s.end <= m.start and doc.clause_of(s.start) == clause
                                                 for s in staying)
                          for m in locatives)
        if not located and not (asking == "in_poland" and len(doc.tokens) <= 4):
            continue
        candidates.append((start, poland != negated(clause), doc.span_text(start, end)))
    if not candidates:
        return
    fitting = [c for c in candidates if compatible(c[0], direct=asking == "in_poland")]
    if not fitting and asking == "in_poland" and len({c[1] for c in candidates}) == 1:
        fitting = candidates
    if fitting and len({c[1] for c in fitting}) == 1:
        put("in_poland", fitting[0][1], f"place: {fitting[0][2]}")


_AGE_EXCLUDE_AFTER = {"days", "day", "weeks", "week", "pln", "zl", "zloty", "euro", "eur", "usd", "percent", "dni",
                      "dzien", "tygodni", "tydzien", "днів", "дні", "день", "дней", "дня", "тижні", "недели"}


def _age(doc: _Doc, asking, put, compatible, today: datetime.date) -> None:
    toks = doc.tokens
    units = doc.v.age_units.find(toks)
    persons = doc.kind("person")
    # "is 5" after a person only ("my son is 5", not "room is 12")
    copulas = [m for m in doc.kind("age_copula") if any(p.end == m.start and p.label[1] != "nobody" for p in persons)]
    verbs = doc.kind("age_verb") + copulas
    futures = doc.kind("age_future")
    for k, token in enumerate(toks):
        if not token.surf.isdigit() or len(token.surf) > 3:
            continue
        n = int(token.surf)
        nxt = toks[k + 1].surf if k + 1 < len(toks) else ""
        if nxt in _AGE_EXCLUDE_AFTER or re.search(r"[./:-]\d|%", doc.text[token.end:token.end + 2]):
            continue
        unit = any(m.start == k + 1 and m.label == ("age_unit",) for m in units)
        months_old = any(m.start == k + 1 and m.label == ("months_old",) for m in units)
        gap = k - 1 if k >= 1 and toks[k - 1].surf in doc.v.age_gap else k
        # "our 2-year-old son": the person named right after the age
        after = [p for p in persons if k < p.start <= k + 4 and p.label[1] not in ("self",)]
        future = any(m.end in (k, gap) for m in futures)
        verb = future or any(m.end in (k, gap) for m in verbs)
        bare = asking == "minor" and len(toks) <= 3
        if not (unit or verb or bare or months_old):
            continue
        if n > 120:
            continue
        clause = doc.clause_of(k)
        if after and unit:
            if not compatible(k, direct=asking == "minor", who=after[0].label[1]):
                continue
        elif not compatible(k, direct=asking == "minor"):
            continue
        # "she will be 18 in March" is 17 now
        minor = True if months_old else (n <= 18 if future else n < 18)
        put("minor", minor, f"age: {doc.span_text(k, min(k + 3, len(toks)))}")
        return
    # born in 2015
    for m in doc.kind("date_cue"):
        if m.label[1] != "birth":
            continue
        for k in range(m.end, min(m.end + 3, len(toks))):
            if re.fullmatch(r"(19|20)\d\d", toks[k].surf):
                age = today.year - int(toks[k].surf)
                if age < 17 or age > 18:
                    put("minor", age < 17, f"born: {toks[k].surf}")
                return
