"""recommend(): runs the rule blocks of rules.yml over a Situation.

The engine knows no law of its own: it evaluates the conditions in rules.yml, collects what
the first matching rule of each block decides, and names the facts still needed (`missing`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List

import yaml

from bot import i18n
from bot.routing.conditions import UNKNOWN, check, evaluate
from bot.routing.models import QUESTION_ORDER, SITUATION_FIELDS, FiredRule, Link, Recommendation, Situation

RULES_PATH = Path(__file__).with_name("rules.yml")
SOURCES_PATH = Path(__file__).with_name("sources.yml")
CONFIRMED_STATUSES = {"C-off", "C-sec"}
#: Facts decided by the blocks themselves, usable in later blocks' conditions.
DERIVED = [
    "cukr_eligible",
    "route",
    "channel",
    "channel_rule",
    "authority",
    "signer",
    "signature_options",
    "employer_action",
    "stamp_duty_pln",
    "card_fee_pln",
]


@dataclass(frozen=True)
class Case:
    when: Dict[str, Any]
    then: Dict[str, Any]
    steps: List[str]
    warnings: List[str]
    links: List[str]


@dataclass(frozen=True)
class Rule:
    id: str
    silent: bool
    title: str
    legal_basis: str
    sources: List[str]
    status: str
    cases: List[Case]

    @property
    def confirmed(self) -> bool:
        return self.status in CONFIRMED_STATUSES


@dataclass(frozen=True)
class Block:
    name: str
    mode: str
    rules: List[Rule]


@dataclass(frozen=True)
class Implication:
    """A fact that follows from another (a UKR-status holder has a PESEL UKR): never asked."""

    when: Dict[str, Any]
    then: Dict[str, Any]


@dataclass
class RuleBook:
    constants: Dict[str, Any]
    links: Dict[str, str]
    step_order: List[str]
    blocks: List[Block]
    sources: Dict[str, List[str]] = field(default_factory=dict)
    implied: List[Implication] = field(default_factory=list)

    def rule(self, rule_id: str) -> Rule:
        for block in self.blocks:
            for rule in block.rules:
                if rule.id == rule_id:
                    return rule
        raise KeyError(rule_id)

    def all_rules(self) -> List[Rule]:
        seen: Dict[str, Rule] = {}
        for block in self.blocks:
            for rule in block.rules:
                seen.setdefault(rule.id, rule)
        return list(seen.values())


def _resolve_constants(value: Any, constants: Dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("$") and value[1:] in constants:
        return constants[value[1:]]
    if isinstance(value, dict):
        return {k: _resolve_constants(v, constants) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_constants(v, constants) for v in value]
    return value


def _parse_rule(raw: Dict[str, Any], constants: Dict[str, Any], known: List[str]) -> Rule:
    base = {
        "then": raw.get("then", {}),
        "steps": raw.get("steps", []),
        "warnings": raw.get("warnings", []),
        "links": raw.get("links", []),
    }
    cases = []
    for raw_case in raw.get("cases") or [{"when": raw.get("when", {})}]:
        when = _resolve_constants(raw_case.get("when", {}) or {}, constants)
        check(when, known)
        cases.append(
            Case(
                when=when,
                then=_resolve_constants({**base["then"], **(raw_case.get("then") or {})}, constants),
                steps=base["steps"] + raw_case.get("steps", []),
                warnings=base["warnings"] + raw_case.get("warnings", []),
                links=base["links"] + raw_case.get("links", []),
            )
        )
    silent = bool(raw.get("silent"))
    if not silent:
        missing = [k for k in ("title", "legal_basis", "sources", "status") if not raw.get(k)]
        if missing:
            raise ValueError(f"rule {raw['id']} lacks {missing}")
    return Rule(
        id=raw["id"],
        silent=silent,
        title=raw.get("title", ""),
        legal_basis=raw.get("legal_basis", ""),
        sources=list(raw.get("sources", [])),
        status=raw.get("status", ""),
        cases=cases,
    )


@lru_cache(maxsize=None)
def load_rules() -> RuleBook:
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    sources = yaml.safe_load(SOURCES_PATH.read_text(encoding="utf-8"))
    constants = data.get("constants", {})
    known = SITUATION_FIELDS + DERIVED
    blocks = [
        Block(name=b["name"], mode=b["mode"], rules=[_parse_rule(r, constants, known) for r in b["rules"]])
        for b in data["blocks"]
    ]
    implied = []
    for raw in data.get("implied", []):
        when = _resolve_constants(raw["when"], constants)
        check(when, known)
        check({name: True for name in raw["then"]}, SITUATION_FIELDS)
        implied.append(Implication(when=when, then=raw["then"]))
    book = RuleBook(
        constants=constants,
        links=data.get("links", {}),
        step_order=data.get("step_order", []),
        blocks=blocks,
        sources=sources,
        implied=implied,
    )
    for rule in book.all_rules():
        unknown = [s for s in rule.sources if s not in sources]
        if unknown:
            raise ValueError(f"rule {rule.id} cites unknown sources {unknown}")
    return book


def _text_params(situation: Situation, facts: Dict[str, Any], today: datetime.date, book: RuleBook) -> Dict[str, Any]:
    params: Dict[str, Any] = dict(book.constants)
    params.update(today=today, permit_expires=situation.permit_expires, ukr_status_since=situation.ukr_status_since)
    since = situation.ukr_status_since
    if since:
        # the day the current status reaches 365 days, but never before the window opens
        params["cukr_from"] = max(since + datetime.timedelta(days=book.constants["cukr_days"]), book.constants["cukr_opens"])
    else:
        params["cukr_from"] = None
    for name in ("stamp_duty_pln", "card_fee_pln"):
        value = facts.get(name, UNKNOWN)
        params[name] = None if value is UNKNOWN else value
    return params


def text_constants() -> Dict[str, Any]:
    """The shared dates, amounts and contacts that catalog texts may name as {fields}."""
    return dict(load_rules().constants)


class _Run:
    """One evaluation of the rule book: the facts so far and what the fired rules contribute."""

    def __init__(self, facts: Dict[str, Any]) -> None:
        self.facts = facts
        self.missing: List[str] = []
        self.cukr_spoken: List[str] = []  # CUKR rules that decided something the person is told
        self.later: List[str] = []  # facts an undecided block may still need once the first ones are known
        self.fired: List[Rule] = []
        self.steps: List[str] = []
        self.warnings: List[str] = []
        self.links: List[str] = []

    def fire(self, rule: Rule, case: Case, block: Block) -> None:
        for name, value in case.then.items():
            if isinstance(value, str) and value.startswith("$"):
                value = self.facts.get(value[1:])
            self.facts[name] = value
        if block.name == "channel":
            self.facts["channel_rule"] = rule.id
        if not rule.silent and rule not in self.fired:
            self.fired.append(rule)
            if block.name == "cukr":
                self.cukr_spoken.append(rule.id)
        self.steps.extend(k for k in case.steps if k not in self.steps)
        self.warnings.extend(k for k in case.warnings if k not in self.warnings)
        self.links.extend(k for k in case.links if k not in self.links)

    def first_block(self, block: Block, today: datetime.date) -> None:
        """The first rule whose case holds; an undecided case stops the block (an earlier rule may still match)."""
        for rule in block.rules:
            for case in rule.cases:
                truth, undecided = evaluate(case.when, self.facts, today)
                if truth:
                    self.fire(rule, case, block)
                    return
                if truth is None:
                    self.missing.extend(n for n in undecided if n in SITUATION_FIELDS and n not in self.missing)
                    self.later.extend(_look_ahead(block, rule, case, self.facts, today))
                    return

    def every_block(self, block: Block, today: datetime.date) -> None:
        """Each rule's first case that holds."""
        for rule in block.rules:
            for case in rule.cases:
                truth, _ = evaluate(case.when, self.facts, today)
                if truth:
                    self.fire(rule, case, block)
                    break

    def get(self, name: str) -> Any:
        value = self.facts.get(name, UNKNOWN)
        return None if value is UNKNOWN else value


def _known_facts(situation: Situation, book: RuleBook, today: datetime.date) -> Dict[str, Any]:
    """The Situation's answers (UNKNOWN where none) and what they imply."""
    facts: Dict[str, Any] = {}
    for name in SITUATION_FIELDS:
        value = getattr(situation, name)
        facts[name] = UNKNOWN if value is None else value
    for implication in book.implied:
        if evaluate(implication.when, facts, today)[0]:
            for name, value in implication.then.items():
                if facts[name] is UNKNOWN:
                    facts[name] = value
    return facts


def recommend(situation: Situation, today: datetime.date, language: str = i18n.DEFAULT_LANGUAGE) -> Recommendation:
    """The recommendation for `situation` on `today`, with texts in `language`. Pure."""
    book = load_rules()
    language = i18n.normalise_language(language)
    run = _Run(_known_facts(situation, book, today))
    for block in book.blocks:
        if block.mode == "first":
            run.first_block(block, today)
        else:
            run.every_block(block, today)
    return _recommendation(run, situation, today, language, book)


def _recommendation(run: _Run, situation: Situation, today: datetime.date, language: str, book: RuleBook) -> Recommendation:
    ask_next = sorted(run.missing, key=QUESTION_ORDER.index)
    missing = sorted(set(run.missing) | set(run.later), key=QUESTION_ORDER.index)
    get = run.get
    params = _text_params(situation, run.facts, today, book)
    order = {key: i for i, key in enumerate(book.step_order)}
    step_keys = sorted(run.steps, key=lambda k: order.get(k, len(order)))
    warning_texts = [i18n.t(k, language, **params) for k in run.warnings]
    unconfirmed = [r for r in run.fired if not r.confirmed]
    warning_texts += [i18n.t("warning.unconfirmed", language, title=_title(r, language)) for r in unconfirmed]

    # Each part is whatever its own block decided, while other blocks may still miss facts.
    return Recommendation(
        channel=get("channel"),
        authority=get("authority"),
        cukr_eligible=get("cukr_eligible"),
        signature_options=get("signature_options") or [],
        signer=get("signer"),
        employer_action=get("employer_action"),
        missing=missing,
        rules=[_fired(r, book, language) for r in run.fired],
        steps=[i18n.t(k, language, **params) for k in step_keys],
        warnings=warning_texts,
        links=[Link(label=i18n.t(k, language), url=book.links[k]) for k in run.links],
        language=language,
        today=today,
        procedure=get("route"),
        fees={"stamp_duty_pln": get("stamp_duty_pln"), "card_fee_pln": get("card_fee_pln")},
        unconfirmed=[r.id for r in unconfirmed],
        ask_next=ask_next,
        cukr_shown=situation.procedure == "cukr" or bool(run.cukr_spoken),
    )


def _look_ahead(block: Block, rule: Rule, case: Case, facts: Dict[str, Any], today: datetime.date) -> List[str]:
    """The Situation facts the rest of an undecided block may need (contract: `missing` lists them all).

    From the undecided case on, each case still undecided names its first unknown Situation fact
    (a derived fact such as the route is decided by other answers, so the next one counts), until
    a case that holds whatever the unknowns are.
    """
    cases = [(r, c) for r in block.rules for c in r.cases]
    needed: List[str] = []
    for _, later_case in cases[cases.index((rule, case)) :]:
        truth, undecided = evaluate(later_case.when, facts, today, every=True)
        if truth:
            break
        first = next((n for n in undecided if n in SITUATION_FIELDS), None)
        if truth is None and first and first not in needed:
            needed.append(first)
    return needed


def _title(rule: Rule, language: str) -> str:
    key = f"rule_titles.{rule.id}"
    return i18n.t(key, language) if language != i18n.DEFAULT_LANGUAGE and i18n.has(key, language) else rule.title


def _legal_basis(rule: Rule, language: str) -> str:
    """The legal basis in the reader's language (the act's Polish name stays as it is written)."""
    key = f"rule_legal_basis.{rule.id}"
    return i18n.t(key, language) if language != i18n.DEFAULT_LANGUAGE and i18n.has(key, language) else rule.legal_basis


def _fired(rule: Rule, book: RuleBook, language: str) -> FiredRule:
    urls = [url for source in rule.sources for url in book.sources[source]]
    return FiredRule(
        id=rule.id,
        title=_title(rule, language),
        legal_basis=_legal_basis(rule, language),
        sources=urls,
        confirmed=rule.confirmed,
    )
