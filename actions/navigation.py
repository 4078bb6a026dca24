"""Going back, starting over and stopping: the user stays in control of the questions."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from bot.routing import SITUATION_FIELDS


def last_answered(tracker: Tracker) -> Optional[str]:
    """The Situation field most recently given a value that still holds."""
    for event in reversed(tracker.events):
        name = event.get("name")
        if event.get("event") == "slot" and name in SITUATION_FIELDS and tracker.get_slot(name) is not None:
            return name
    return None


class ActionGoBack(Action):
    def name(self) -> Text:
        return "action_go_back"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        field = last_answered(tracker)
        if field is None:
            dispatcher.utter_message(text=context.say("chat.nothing_to_change", lang))
            return events
        dispatcher.utter_message(text=context.say("chat.go_back", lang))
        return events + [SlotSet(field, None), SlotSet("requested_slot", None)]


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
