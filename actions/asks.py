"""action_ask_<field>: the question for each Situation field, with buttons, in the user's language."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from bot.questions import question
from bot.routing import SITUATION_FIELDS


class AskForField(Action):
    field = ""

    def name(self) -> Text:
        return f"action_ask_{self.field}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        message = question(self.field, lang, context.today(), context.situation(tracker))
        dispatcher.utter_message(text=message["text"], buttons=message["buttons"])
        return events


# One registered action per field; rasa-sdk registers every Action subclass it can see.
for _field in SITUATION_FIELDS:
    globals()[f"Ask_{_field}"] = type(f"Ask_{_field}", (AskForField,), {"field": _field})
