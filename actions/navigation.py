"""Going back, starting over and stopping: the user stays in control of the questions."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from bot.routing import QUESTION_ORDER, SITUATION_FIELDS


def last_answered(tracker: Tracker) -> Optional[str]:
    """The Situation field most recently given a value that still holds."""
    for event in reversed(tracker.events):
        name = event.get("name")
        if event.get("event") == "slot" and name in SITUATION_FIELDS + [context.APPLICANT] \
                and tracker.get_slot(name) is not None:
            return name
    return None


def _answered(tracker: Tracker) -> List[str]:
    """The fields with an answer, in the order they are asked."""
    fields = [context.APPLICANT] + list(QUESTION_ORDER)
    return [f for f in fields if tracker.get_slot(f) is not None]


class ActionGoBack(Action):
    """"back": during the questions, change the last answer; after the outcome, choose which answer.

    After an outcome the last answer is rarely the wrong one (a wrong procedure decides everything),
    so the person picks the answer to change; `/change_answer{"change": "<field>"}` clears that one.
    """

    def name(self) -> Text:
        return "action_go_back"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        chosen = next((e.get("value") for e in (tracker.latest_message or {}).get("entities", [])
                       if e.get("entity") == "change"), None)
        if chosen in _answered(tracker):
            field = chosen
        elif not tracker.active_loop.get("name") and _answered(tracker):
            dispatcher.utter_message(text=context.say("conversation.change_which", lang), buttons=[
                {"title": context.say("conversation.change_button", lang,
                                      field=context.say(f"conversation.labels.{f}", lang),
                                      value=context.display(f, tracker.get_slot(f), lang)),
                 "payload": '/change_answer{"change": "%s"}' % f} for f in _answered(tracker)])
            return events
        else:
            field = last_answered(tracker)
        if field is None:
            dispatcher.utter_message(text=context.say("chat.nothing_to_change", lang))
            return events
        state = context.state(tracker)
        # the old answer comes back if the new one cannot be read or is not known
        state["back_from"] = {field: tracker.get_slot(field)}
        state["asked"][field] = 0
        state["unknown"] = [f for f in state["unknown"] if f != field]
        state["unsure"] = [f for f in state["unsure"] if f != field]
        dispatcher.utter_message(text=context.say("chat.go_back", lang))
        return events + [SlotSet(field, None), SlotSet(context.STATE, state), SlotSet("requested_slot", None)]


class ActionStartOver(Action):
    def name(self) -> Text:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, _ = context.language(tracker)
        dispatcher.utter_message(text=context.say("chat.restarted", lang))
        return [AllSlotsReset(), SlotSet("language", lang)]


class ActionStop(Action):
    def name(self) -> Text:
        return "action_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        intent = context.latest_intent(tracker)
        dispatcher.utter_message(text=context.say("chat.goodbye" if intent == "goodbye" else "chat.stopped", lang))
        return events + [ActiveLoop(None), SlotSet("requested_slot", None)]
