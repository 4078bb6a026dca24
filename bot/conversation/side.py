"""Answers outside the questions: greetings, questions about a topic, not understood, "which language?"."""

from __future__ import annotations

import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bot import i18n
from bot import language as languages
from bot.conversation.reply import Say, ToQuestions
from bot.conversation.state import APPLICANT, Message, State
from bot.conversation.text import say, situation_from
from bot.routing import SITUATION_FIELDS, load_rules, recommend
from bot.understanding import understand

#: intent -> catalog key of the answer
#: the side questions answered from the catalog's faq texts
FAQ_INTENTS = (
    "ask_cukr",
    "ask_signature",
    "ask_paper",
    "ask_mos",
    "ask_fees",
    "ask_fingerprints",
    "ask_confirmation",
    "ask_employer",
    "ask_pesel",
    "ask_human",
    "ask_processing_time",
    "ask_print_post",
    "ask_who_may_sign",
    "ask_posted_application",
    "ask_trusted_profile",
    "ask_cukr_employer",
)

REPLIES = {
    "greet": "chat.greet",
    "goodbye": "chat.goodbye",
    "thank": "chat.thank",
    "affirm": "chat.affirm_idle",
    "deny": "chat.deny_idle",
    "out_of_scope": "chat.out_of_scope",
    "change_language": "chat.change_language",
    **{intent: f"faq.{intent}" for intent in FAQ_INTENTS},
}
#: Answers that are no answer to a message stating facts: such a message goes to the questions.
HANDED_ON = {"out_of_scope", "deny", "affirm", "greet"}
#: Questions about signing whose answer depends on whose application it is.
SIGNING = {"ask_signature", "ask_who_may_sign"}


@lru_cache(maxsize=1)
def _side_sources() -> Dict[str, List[str]]:
    with (Path(__file__).parent / "side_questions.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def source_url(intent: Optional[str]) -> Optional[str]:
    """The address behind a side answer (its first source in facts.md), or None."""
    for source_id in _side_sources().get(intent or "", []):
        urls = load_rules().sources.get(source_id) or []
        if urls:
            return urls[0]
    return None


def reply_text(intent: Optional[str], lang: str, applicant: Optional[str], signer: Optional[str] = None) -> str:
    """The answer to `intent`; "can I sign it for her?" is answered for the person the application is for,
    and for the case: on the paper family route the family member in Poland signs (`signer`)."""
    if intent in SIGNING and signer in ("sponsor", "host_entity") and applicant not in (None, "self"):
        text = say(f"conversation.who_may_sign_as.{signer}", lang)
    elif intent in SIGNING and (applicant not in (None, "self") or intent == "ask_who_may_sign"):
        text = say(f"conversation.who_may_sign.{applicant or 'self'}", lang)
    else:
        text = say(REPLIES.get(intent or "", "chat.fallback"), lang)
    url = source_url(intent)
    return text + "\n" + say("conversation.sources_line", lang, url=url) if url else text


def start_button(lang: str) -> List[Dict[str, str]]:
    return [{"title": say("chat.start_button", lang), "payload": "/start_application"}]


def link_button(lang: str) -> List[Dict[str, str]]:
    return [{"title": say("handoff.button", lang), "payload": "/get_link"}]


def next_button(state: State, lang: str) -> List[Dict[str, str]]:
    """After an outcome the way on is the checklist (a start button would begin a new case); else start."""
    if any(state.answers.get(name) is not None for name in SITUATION_FIELDS):
        return link_button(lang)
    return start_button(lang)


def typed_understanding(message: Message, lang: str, today: datetime.date) -> Any:
    if not message.text or message.payload:
        return None
    return understand(message.text, lang, today=today)


def states_facts(understood: Any) -> bool:
    """The typed message states a fact of a situation or whose case it is (never refused as not understood)."""
    return bool(understood) and (bool(understood.facts) or understood.subject not in (None, "self"))


def tells_a_situation(understood: Any) -> bool:
    """More than a topic word: a fact about the person (a country, a date, where they are) or whose case it is."""
    if not understood:
        return False
    personal = set(understood.facts) - {"procedure", "purpose"}
    return bool(personal) or understood.subject not in (None, "self") or len(understood.facts) > 1


def fitting_topic(intent: Optional[str], answers: Dict[str, Any], understood: Any) -> Optional[str]:
    """The side answer whose topic fits the person: the CUKR employer's text only where CUKR is at stake
    (an employer of Georgian workers, a Moldovan worker get the employer's part of a permit, Annex 1)."""
    if intent not in ("ask_cukr_employer", "ask_employer"):
        return intent
    said = {name: fact.value for name, fact in (understood.facts if understood else {}).items()}
    facts = {**{name: answers.get(name) for name in ("citizenship", "ukr_status", "procedure")}, **said}
    cukr_at_stake = facts.get("ukr_status") is True or facts.get("procedure") == "cukr"
    if intent == "ask_employer":
        # "does my employer have to sign anything?" while applying for CUKR: nothing, not Annex 1
        return "ask_cukr_employer" if facts.get("procedure") == "cukr" else intent
    other_citizens = facts.get("citizenship") not in (None, "UA") and not cukr_at_stake
    worker = bool(understood and understood.role == "employee")
    return "ask_employer" if other_citizens or (worker and not cukr_at_stake) else intent


def bare_procedure(state: State, message: Message, lang: str, today: datetime.date) -> Optional[str]:
    """The procedure a message outside the form names and nothing else ("CUKR", "karta pobytu")."""
    text = message.text
    if state.asking or state.answers.get("procedure") or message.payload or len(text.split()) > 3:
        return None
    facts = understand(text, lang, asking="procedure", today=today).facts
    return facts["procedure"].value if set(facts) == {"procedure"} else None


def language_reply(state: State, message: Message, lang: str) -> Say:
    """The switch confirmed in the new language, or, when no language was named, a button for each."""
    if languages.asked_for(message.text, "change_language", message.entities, state.language) or lang != state.language:
        return Say(say("chat.change_language", lang))
    buttons = [
        {"title": i18n.t("language_name", code), "payload": f'/change_language{{"language": "{code}"}}'}
        for code in i18n.SUPPORTED_LANGUAGES
    ]
    return Say(say("chat.choose_language", lang), buttons)


def side_answer(state: State, message: Message, lang: str, today: datetime.date) -> Tuple[State, List[Any]]:
    """A side question answered; facts it states go on to the questions."""
    if message.intent == "change_language":
        return state, [language_reply(state, message, lang)]
    understood = typed_understanding(message, lang, today)
    if message.intent in HANDED_ON and states_facts(understood):
        # it states facts of a situation ("that's wrong, I mean the karta pobytu", "my husband is
        # Polish, we live in Canada"): in scope, whatever the intent model says; the questions take it
        return state, [ToQuestions()]
    after = state.copy()
    buttons = start_button(lang) if message.intent == "greet" and not state.asking else []
    topic = bare_procedure(state, message, lang, today)
    if topic:
        # "CUKR" alone: answer what it is, and keep it as what the person wants to apply for
        after.answers["procedure"] = topic
        buttons = start_button(lang)
    intent = fitting_topic(message.intent, state.answers, understood)
    hand_on = not state.asking and intent in REPLIES and tells_a_situation(understood)
    applicant = state.answers.get(APPLICANT) or ("employee" if understood and understood.role == "employer" else None)
    signer = recommend(situation_from(state.answers), today).signer if intent in SIGNING else None
    replies: List[Any] = [Say(reply_text(intent, lang, applicant, signer), [] if hand_on else buttons)]
    if hand_on:
        # "how do I apply, I'm from Georgia and in Warsaw?": answered, and the questions take its facts
        after.memo["read_latest"] = True
        replies.append(ToQuestions())
    return after, replies


def fallback(state: State, message: Message, lang: str, today: datetime.date) -> Tuple[State, List[Any]]:
    """Not understood: say what the user can do, and keep everything already answered."""
    if states_facts(typed_understanding(message, lang, today)):
        return state, [ToQuestions()]
    return state, [Say(say("chat.fallback", lang), next_button(state, lang))]
