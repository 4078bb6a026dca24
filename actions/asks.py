"""action_ask_<field>: the question bot.conversation.asks words for each field, who it is for, and "Right?"."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import run_turn
from bot.conversation import APPLICANT, CONFIRM
from bot.routing import SITUATION_FIELDS


class AskForField(Action):
    field = ""

    def name(self) -> Text:
        return f"action_ask_{self.field}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        return run_turn("ask", dispatcher, tracker, requested=self.field)


class AskApplicant(AskForField):
    field = APPLICANT


class AskConfirmFacts(AskForField):
    field = CONFIRM


# One registered action per field; rasa-sdk registers every Action subclass it can see.
for _field in SITUATION_FIELDS:
    globals()[f"Ask_{_field}"] = type(f"Ask_{_field}", (AskForField,), {"field": _field})


def ask_action(slot: Optional[str]) -> Optional[Action]:
    """The action that asks for `slot`: a Situation field, who it is for, or the confirmation."""
    asks = {APPLICANT: AskApplicant, CONFIRM: AskConfirmFacts, **{f: globals()[f"Ask_{f}"] for f in SITUATION_FIELDS}}
    return asks[slot]() if slot in asks else None


async def ask_requested(
    dispatcher: CollectingDispatcher, tracker: Tracker, events: List[EventType], domain: Dict[Text, Any]
) -> None:
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
