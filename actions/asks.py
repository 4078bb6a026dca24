"""action_ask_<field>: each question, worded for the person it is about, with buttons, in the user's language.

Besides the Situation fields: `action_ask_applicant` (who the application is for) and
`action_ask_confirm_facts` (the one line that confirms facts read from free text).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.context import APPLICANT, CONFIRM
from bot import i18n
from bot.questions import applicant_question, confirm_question, question, which_is_wrong_question
from bot.routing import SITUATION_FIELDS


class AskForField(Action):
    field = ""

    def name(self) -> Text:
        return f"action_ask_{self.field}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        state = context.state(tracker)
        unsure = self.field in state["unsure"]
        message = question(self.field, lang, context.today(), context.situation(tracker),
                           about=context.applicant(tracker), unsure=unsure)
        dispatcher.utter_message(text=message["text"], buttons=message["buttons"])
        return events


class AskApplicant(Action):
    def name(self) -> Text:
        return f"action_ask_{APPLICANT}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        message = applicant_question(lang)
        dispatcher.utter_message(text=message["text"], buttons=message["buttons"])
        return events


class AskConfirmFacts(Action):
    def name(self) -> Text:
        return f"action_ask_{CONFIRM}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        state = context.state(tracker)
        pending = state["pending"]
        about = tracker.get_slot(APPLICANT)
        if state["which"]:
            # after a plain "no": one button per fact, so the right ones are kept
            phrases = {field: context.fact_phrase(field, value, lang) for field, value in pending.items()}
            message = which_is_wrong_question(lang, phrases)
        else:
            facts = ", ".join(context.fact_phrase(field, value, lang) for field, value in pending.items())
            message = confirm_question(lang, facts, i18n.t(f"conversation.about.{about or 'self'}", lang))
        dispatcher.utter_message(text=message["text"], buttons=message["buttons"])
        return events


# One registered action per field; rasa-sdk registers every Action subclass it can see.
for _field in SITUATION_FIELDS:
    globals()[f"Ask_{_field}"] = type(f"Ask_{_field}", (AskForField,), {"field": _field})


def ask_action(slot: Optional[str]) -> Optional[Action]:
    """The action that asks for `slot`: a Situation field, who it is for, or the confirmation."""
    if slot == APPLICANT:
        return AskApplicant()
    if slot == CONFIRM:
        return AskConfirmFacts()
    if slot in SITUATION_FIELDS:
        return globals()[f"Ask_{slot}"]()
    return None


async def ask_requested(dispatcher: CollectingDispatcher, tracker: Tracker, events: List[EventType],
                        domain: Dict[Text, Any]) -> None:
    """Ask the question that `events` request, on the tracker as those events leave it.

    The validation action calls this so that a form turn is one action-server call (actions/form_asks.py);
    a model whose domain still lists the ask action gets the question from Rasa's call to it instead.
    """
    requested = [e for e in events if e.get("event") == "slot" and e.get("name") == "requested_slot"]
    action = ask_action(requested[-1].get("value")) if requested else None
    if action is None or action.name() in (domain or {}).get("actions", []):
        return
    after = tracker.copy()
    for event in events:
        if event.get("event") == "slot":
            after.slots[event["name"]] = event.get("value")
    await action.run(dispatcher, after, {})
