"""The paths the every-path walker takes, generated from the engine, the catalogs and the data.

A path is a prefix that leads to one question (found by walking the engine's `ask_next` over the
questions' own buttons), then one kind of answer to it, then the first button of every question
until the recommendation. Nothing here names a field, a text or a language: a question, a button,
a catalog text or an NLU example added later is walked without editing this file.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import yaml
from babel.dates import format_date

from bot import i18n
from bot.questions import DATE_FIELDS, buttons, facts_payload, goals, payload
from bot.routing import QUESTION_ORDER, Situation, recommend

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = i18n.SUPPORTED_LANGUAGES
APPLICANT, CONFIRM, AIMS = "applicant", "confirm_facts", "aims"
#: side questions the issue names; their texts are the NLU data's own examples
SIDE_INTENTS = ("ask_fees", "ask_processing_time", "ask_print_post", "ask_who_may_sign", "ask_trusted_profile", "ask_pesel")
NONSENSE = "qwrtzp xkcdv blorft"


@dataclass(frozen=True)
class Step:
    text: str
    kind: str  # "prefix", "button", "typed", "typo", "no_diacritics", "dont_know", "why", "side", "language",
    #            "back", "nonsense", "empty", "link", "start", "new_fact", "continue"
    switches_to: Optional[str] = None


@dataclass
class Path_:
    language: str
    question: str  # the field (or applicant / confirm_facts / aims) the answer kind is given to
    kind: str
    steps: List[Step] = field(default_factory=list)
    facts: Dict[str, Any] = field(default_factory=dict)  # what the prefix's buttons set

    @property
    def name(self) -> str:
        return f"{self.language}:{self.question}:{self.kind}:{self.steps[-1].text[:30]!r}"


def _date_values(name: str, today: datetime.date) -> List[datetime.date]:
    """Dates that lead down different branches of the rules (typed, since no button stands for them)."""
    if name == "ukr_status_since":
        return [datetime.date(2022, 3, 15), datetime.date(2025, 9, 1), today - datetime.timedelta(days=30)]
    return [today + datetime.timedelta(days=90), today - datetime.timedelta(days=1)]


def values_for(name: str, today: datetime.date, situation: Situation) -> List[Any]:
    if name in DATE_FIELDS:
        offered = [value_of(b["payload"], name) for b in buttons(name, "en", today, situation)]
        return offered + [d.isoformat() for d in _date_values(name, today) if d.isoformat() not in offered]
    return [value_of(b["payload"], name) for b in buttons(name, "en", today, situation)]


def value_of(button_payload: str, name: str) -> Any:
    import json

    return json.loads(button_payload[len("/inform") :])[name]


def prefixes(today: datetime.date) -> Dict[str, List[Dict[str, Any]]]:
    """For each Situation field the form can ask: the shortest list of answers that leads to it.

    Breadth first over the engine: each state asks `ask_next[0]`, each of its button values (and a
    few typed dates) is one branch. Also the first complete case (for the questions after it).
    """
    found: Dict[str, List[Dict[str, Any]]] = {}
    queue: List[List[Tuple[str, Any]]] = [[]]
    seen = set()
    while queue:
        answers = queue.pop(0)
        facts = dict(answers)
        situation = Situation(**facts)
        rec = recommend(situation, today)
        if not rec.ask_next:
            found.setdefault("", [dict([a]) for a in answers])
            continue
        name = rec.ask_next[0]
        found.setdefault(name, [dict([a]) for a in answers])
        for value in values_for(name, today, situation):
            key = tuple(sorted({**facts, name: value}.items(), key=lambda kv: kv[0]))
            if key not in seen and len(answers) < len(QUESTION_ORDER):
                seen.add(key)
                queue.append(answers + [(name, value)])
    return found


@functools.lru_cache(maxsize=None)
def vocabulary(language: str) -> Dict[str, Any]:
    path = ROOT / "bot" / "understanding" / "vocab" / f"{language}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def nlu_examples(language: str) -> Dict[str, List[str]]:
    """intent -> its training examples in `language` (data/nlu for English, data/nlu/<lang> otherwise)."""
    folder = ROOT / "data" / "nlu"
    files = sorted(folder.glob("*.yml")) if language == "en" else sorted((folder / language).glob("*.yml"))
    examples: Dict[str, List[str]] = {}
    for path in files:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in block:
                lines = [line.strip()[2:] for line in block["examples"].splitlines() if line.strip().startswith("- ")]
                examples.setdefault(block["intent"], []).extend(e for e in lines if "[" not in e)
    return examples


def strip_diacritics(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).replace("ł", "l")


def typo(text: str) -> str:
    """Two neighbouring letters swapped inside the longest word (as fast typing does)."""
    words = text.split()
    if not words:
        return text
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) >= 5:
        middle = len(word) // 2
        words[longest] = word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :]
    return " ".join(words)


def typed_value(question: str, language: str, today: datetime.date, situation: Situation) -> str:
    """What a person types instead of pressing the first button: its title, or a date in words."""
    if question in DATE_FIELDS:
        day = _date_values(question, today)[0]
        return format_date(day, format="long", locale=language)
    return first_buttons(question, language, today, situation)[0]["title"]


def first_buttons(question: str, language: str, today: datetime.date, situation: Situation) -> List[Dict[str, str]]:
    if question == APPLICANT:
        return [
            {"title": title, "payload": facts_payload({"applicant": who})}
            for who, title in i18n.raw("conversation.applicant", language).items()
        ]
    if question == AIMS:
        return [
            {"title": i18n.t(f"conversation.goals.{goal}", language), "payload": facts_payload(facts)}
            for goal, facts in goals().items()
        ]
    if question == CONFIRM:
        return [
            {"title": i18n.t("conversation.confirm_yes", language), "payload": "/affirm"},
            {"title": i18n.t("conversation.confirm_no", language), "payload": "/deny"},
        ]
    offered = buttons(question, language, today, situation)
    if offered:
        return offered
    return [{"title": d.isoformat(), "payload": payload(question, d.isoformat())} for d in _date_values(question, today)]


def answer_kinds(question: str, language: str, today: datetime.date, situation: Situation) -> Iterator[Step]:
    """Every kind of answer a person gives to one question."""
    offered = first_buttons(question, language, today, situation)
    for button in offered:
        yield Step(button["payload"], "button")
    typed = typed_value(question, language, today, situation) if question != AIMS else offered[0]["title"]
    yield Step(typed, "typed")
    yield Step(typo(typed), "typo")
    yield Step(strip_diacritics(typed), "no_diacritics")
    vocab = vocabulary(language)
    yield Step(vocab["dont_know"][0], "dont_know")
    yield Step(vocab["asks_why"][0], "why")
    examples = nlu_examples(language)
    for intent in SIDE_INTENTS:
        if examples.get(intent):
            yield Step(examples[intent][0], "side")
    for other in LANGUAGES:
        if other != language:
            yield Step(f'/change_language{{"language": "{other}"}}', "language", switches_to=other)
    if examples.get("go_back"):
        yield Step(examples["go_back"][0], "back")
    yield Step(NONSENSE, "nonsense")
    yield Step("", "empty")
    if examples.get("get_link"):
        yield Step(examples["get_link"][0], "link")


def after_outcome_kinds(language: str) -> Iterator[Step]:
    examples = nlu_examples(language)
    yield Step("/get_link", "link")
    for intent, kind in (("get_link", "link"), ("go_back", "back"), ("start_application", "start")):
        if examples.get(intent):
            yield Step(examples[intent][0], kind)
    yield Step(vocabulary(language)["dont_know"][0], "dont_know")
    yield Step(NONSENSE, "nonsense")
    yield Step("", "empty")


def opening(language: str) -> List[Step]:
    return [Step("/start_application", "prefix")]


def all_paths(today: datetime.date) -> Iterator[Path_]:
    found = prefixes(today)
    for language in LANGUAGES:
        start = opening(language)
        # who it is for, and each person's wording of the first question
        for step in answer_kinds(APPLICANT, language, today, Situation()):
            yield Path_(language, APPLICANT, step.kind, start + [step])
        for who in i18n.raw("conversation.applicant", language):
            chosen = Step(facts_payload({"applicant": who}), "prefix")
            yield Path_(
                language,
                f"procedure for {who}",
                "button",
                start + [chosen, Step(buttons("procedure", language, today, Situation())[0]["payload"], "button")],
            )
        me = start + [Step(facts_payload({"applicant": "self"}), "prefix")]
        for question, answers in sorted(found.items()):
            if not question:
                continue
            steps = me + [Step(payload(name, value), "prefix") for a in answers for name, value in a.items()]
            facts = {name: value for a in answers for name, value in a.items()}
            situation = Situation(**facts)
            for step in answer_kinds(question, language, today, situation):
                yield Path_(language, question, step.kind, steps + [step], facts)
        # the plain-word aims, after "I don't know" to the procedure question
        unsure = me + [Step(vocabulary(language)["dont_know"][0], "prefix")]
        for step in answer_kinds(AIMS, language, today, Situation()):
            yield Path_(language, AIMS, step.kind, unsure + [step])
        # the confirmation line: a procedure typed with a country, which waits to be confirmed
        country = next(iter(i18n.raw("options.citizenship", language).values()))
        procedure = next(iter(i18n.raw("options.procedure", language).values()))
        told = me + [Step(f"{procedure}, {country}", "prefix")]
        for step in answer_kinds(CONFIRM, language, today, Situation()):
            yield Path_(language, CONFIRM, step.kind, told + [step])
        # after the recommendation
        complete = me + [Step(payload(name, value), "prefix") for a in found[""] for name, value in a.items()]
        for step in after_outcome_kinds(language):
            yield Path_(language, "outcome", step.kind, complete + [step])
