"""Answers that need no form (bot.conversation.side decides), and the start of a session."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import step_action
from bot import i18n

ActionReply = step_action("ActionReply", "action_reply", "reply")
ActionFallback = step_action("ActionFallback", "action_fallback", "fallback")


class ActionSessionStart(Action):
    """A new session keeps the answers and takes the language the channel asks for."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        carried = [
            SlotSet(name, value) for name, value in tracker.slots.items() if value is not None and name != "requested_slot"
        ]
        events += carried
        metadata = tracker.get_slot("session_started_metadata") or {}
        if metadata.get("language"):
            events.append(SlotSet("language", i18n.normalise_language(metadata["language"])))
        events.append(ActionExecuted("action_listen"))
        return events
