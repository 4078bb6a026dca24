"""Answers that need no form: greetings, questions about a topic, not understood."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from bot import i18n
from bot import language as languages
from bot.routing import SITUATION_FIELDS, load_rules, recommend
from bot.understanding import understand

#: intent -> catalog key of the answer
REPLIES = {
    "greet": "chat.greet",
    "goodbye": "chat.goodbye",
    "thank": "chat.thank",
    "affirm": "chat.affirm_idle",
    "deny": "chat.deny_idle",
    "out_of_scope": "chat.out_of_scope",
    "change_language": "chat.change_language",
    **{intent: f"faq.{intent}" for intent in (
        "ask_cukr", "ask_signature", "ask_paper", "ask_mos", "ask_fees", "ask_fingerprints",
        "ask_confirmation", "ask_employer", "ask_pesel", "ask_human", "ask_processing_time", "ask_print_post",
        "ask_who_may_sign", "ask_posted_application", "ask_trusted_profile", "ask_cukr_employer")},
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
        text = context.say(f"conversation.who_may_sign_as.{signer}", lang)
    elif intent in SIGNING and (applicant not in (None, "self") or intent == "ask_who_may_sign"):
        text = context.say(f"conversation.who_may_sign.{applicant or 'self'}", lang)
    else:
        text = context.say(REPLIES.get(intent or "", "chat.fallback"), lang)
    url = source_url(intent)
    return text + "\n" + context.say("conversation.sources_line", lang, url=url) if url else text


def _next_button(tracker: Tracker, lang: str) -> List[Dict[str, str]]:
    """After an outcome the way on is the checklist (a start button would begin a new case); else start."""
    if any(tracker.get_slot(name) is not None for name in SITUATION_FIELDS):
        return [{"title": context.say("handoff.button", lang), "payload": "/get_link"}]
    return _start_button(lang)


def _start_button(lang: str) -> List[Dict[str, str]]:
    return [{"title": context.say("chat.start_button", lang), "payload": "/start_application"}]


class ActionReply(Action):
    def name(self) -> Text:
        return "action_reply"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        intent = context.latest_intent(tracker)
        if intent == "change_language":
            dispatcher.utter_message(**_language_reply(tracker, lang))
            return events
        understood = _typed_understanding(tracker, lang)
        if intent in HANDED_ON and _states_facts(understood):
            # it states facts of a situation ("that's wrong, I mean the karta pobytu", "my husband is
            # Polish, we live in Canada"): in scope, whatever the intent model says; the questions take it
            return events + [FollowupAction("situation_form")]
        buttons = _start_button(lang) if intent == "greet" and not tracker.active_loop else []
        topic = _bare_procedure(tracker, lang)
        if topic:
            # "CUKR" alone: answer what it is, and keep it as what the person wants to apply for
            events = events + [SlotSet("procedure", topic)]
            buttons = _start_button(lang)
        intent = fitting_topic(intent, tracker, understood)
        hand_on = not tracker.active_loop and intent in REPLIES and _tells_a_situation(understood)
        applicant = tracker.get_slot("applicant") or (
            "employee" if understood and understood.role == "employer" else None)
        signer = recommend(context.situation(tracker), context.today()).signer if intent in SIGNING else None
        dispatcher.utter_message(text=reply_text(intent, lang, applicant, signer), buttons=[] if hand_on else buttons)
        if hand_on:
            # "how do I apply, I'm from Georgia and in Warsaw?": answered, and the questions take its facts
            state = context.state(tracker)
            state["read_latest"] = True
            return events + [SlotSet(context.STATE, state), FollowupAction("situation_form")]
        return events


def fitting_topic(intent: Optional[str], tracker: Tracker, understood: Any) -> Optional[str]:
    """The side answer whose topic fits the person: the CUKR employer's text only where CUKR is at stake
    (an employer of Georgian workers, a Moldovan worker get the employer's part of a permit, Annex 1)."""
    if intent != "ask_cukr_employer":
        return intent
    said = {name: fact.value for name, fact in (understood.facts if understood else {}).items()}
    facts = {**{name: tracker.get_slot(name) for name in ("citizenship", "ukr_status", "procedure")}, **said}
    cukr_at_stake = facts.get("ukr_status") is True or facts.get("procedure") == "cukr"
    other_citizens = facts.get("citizenship") not in (None, "UA") and not cukr_at_stake
    worker = bool(understood and understood.role == "employee")
    return "ask_employer" if other_citizens or (worker and not cukr_at_stake) else intent


def _states_facts(understood: Any) -> bool:
    """The typed message states a fact of a situation or whose case it is (never refused as not understood)."""
    return bool(understood) and (bool(understood.facts) or understood.subject not in (None, "self"))


def _tells_a_situation(understood: Any) -> bool:
    """More than a topic word: a fact about the person (a country, a date, where they are) or whose case it is."""
    if not understood:
        return False
    personal = set(understood.facts) - {"procedure", "purpose"}
    return bool(personal) or understood.subject not in (None, "self") or len(understood.facts) > 1


def _typed_understanding(tracker: Tracker, lang: str) -> Any:
    text = context.latest_text(tracker)
    if not text or text.startswith("/"):
        return None
    return understand(text, lang, today=context.today())


def _bare_procedure(tracker: Tracker, lang: str) -> Optional[str]:
    """The procedure a message outside the form names and nothing else ("CUKR", "karta pobytu")."""
    text = context.latest_text(tracker)
    if tracker.active_loop or tracker.get_slot("procedure") or text.startswith("/") or len(text.split()) > 3:
        return None
    facts = understand(text, lang, asking="procedure", today=context.today()).facts
    return facts["procedure"].value if set(facts) == {"procedure"} else None


def _language_reply(tracker: Tracker, lang: str) -> Dict[str, Any]:
    """The switch confirmed in the new language, or, when no language was named, a button for each."""
    message = tracker.latest_message or {}
    if languages.asked_for(message.get("text") or "", "change_language", message.get("entities"),
                           tracker.get_slot("language")) or lang != tracker.get_slot("language"):
        return {"text": context.say("chat.change_language", lang)}
    buttons = [{"title": i18n.t("language_name", code), "payload": f'/change_language{{"language": "{code}"}}'}
               for code in i18n.SUPPORTED_LANGUAGES]
    return {"text": context.say("chat.choose_language", lang), "buttons": buttons}


class ActionFallback(Action):
    """Not understood: say what the user can do, and keep everything already answered."""

    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        understood = _typed_understanding(tracker, lang)
        if _states_facts(understood):
            return events + [FollowupAction("situation_form")]
        dispatcher.utter_message(text=context.say("chat.fallback", lang), buttons=_next_button(tracker, lang))
        return events


class ActionSessionStart(Action):
    """A new session keeps the answers and takes the language the channel asks for."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        carried = [SlotSet(name, value) for name, value in tracker.slots.items()
                   if value is not None and name != "requested_slot"]
        events += carried
        metadata = tracker.get_slot("session_started_metadata") or {}
        if metadata.get("language"):
            events.append(SlotSet("language", i18n.normalise_language(metadata["language"])))
        events.append(ActionExecuted("action_listen"))
        return events
