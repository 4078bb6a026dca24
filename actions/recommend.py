"""action_recommend: the outcome as readable text and as custom.recommendation."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from bot.render import sections
from bot.routing import recommend


class ActionRecommend(Action):
    def name(self) -> Text:
        return "action_recommend"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        rec = recommend(context.situation(tracker), context.today(), lang)
        decision, *details = sections(rec)
        text = context.say("chat.recommendation_intro", lang) + "\n" + decision
        dispatcher.utter_message(text=text, json_message={"recommendation": json.loads(rec.json())})
        for part in details:
            dispatcher.utter_message(text=part)
        dispatcher.utter_message(text=context.say("chat.ask_more", lang))
        return events
