"""Answers that need no form: greetings, questions about a topic, not understood."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from bot import i18n

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
        "ask_confirmation", "ask_employer", "ask_pesel", "ask_human")},
}


def _start_button(lang: str) -> List[Dict[str, str]]:
    return [{"title": context.say("chat.start_button", lang), "payload": "/start_application"}]


class ActionReply(Action):
    def name(self) -> Text:
        return "action_reply"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        intent = context.latest_intent(tracker)
        key = REPLIES.get(intent, "chat.fallback")
        buttons = _start_button(lang) if intent == "greet" and not tracker.active_loop else []
        dispatcher.utter_message(text=context.say(key, lang), buttons=buttons)
        return events


class ActionFallback(Action):
    """Not understood: say what the user can do, and keep everything already answered."""

    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        dispatcher.utter_message(text=context.say("chat.fallback", lang), buttons=_start_button(lang))
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
