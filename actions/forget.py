""""Forget me": confirm in the user's language; the tracker store deletes the conversation.

The deletion itself happens in connectors/tracker_store.py when it saves this turn: deleting from
here would be undone by Rasa's end-of-turn save, which appends whatever it cannot find stored.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import context

#: the store looks for this name (connectors.tracker_store.FORGET_ACTION)
FORGET_ACTION = "action_forget_me"


class ActionForgetMe(Action):
    def name(self) -> Text:
        return FORGET_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, _ = context.language(tracker)
        dispatcher.utter_message(text=context.say("forget.done", lang))
        # also forgotten in this server's memory of the turn: no answer is carried on
        return [ActiveLoop(None), AllSlotsReset()]
