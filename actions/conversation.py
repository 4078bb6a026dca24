"""The one adapter between Rasa and bot.conversation: tracker -> State + Message, one `turn`,
State -> events and replies -> dispatcher messages. No decisions are made here."""

from __future__ import annotations

import datetime
import os
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.conversation import STATE, Link, Message, Outcome, Pass, Say, State, ToQuestions, turn
from bot.conversation.state import ANSWER_FIELDS

#: Actions of the form itself; any other action after the user's message answered it already.
FORM_ACTIONS = {"situation_form", "validate_situation_form", "action_listen"}
#: channels whose clients read `custom` (the widget ignores what it cannot show)
CUSTOM_CHANNELS = {"rest", "socketio", "rasa", "cmdline", None, ""}


def today() -> datetime.date:
    """The date the law is applied on; BOT_TODAY pins it (tests, staff training)."""
    pinned = os.environ.get("BOT_TODAY")
    return datetime.date.fromisoformat(pinned) if pinned else datetime.date.today()


def state_of(tracker: Tracker, requested: Optional[str] = None) -> State:
    """The slots as a State, with two facts of the history: the answers set most recently, and
    whether the outcome (not a stop or a restart) last ended the questions."""
    events = tracker.events
    recent = [e.get("name") for e in reversed(events) if e.get("event") == "slot" and e.get("name") in ANSWER_FIELDS]
    ended = [
        e.get("name")
        for e in events
        if e.get("event") == "action" and e.get("name") in ("action_recommend", "action_stop", "action_start_over")
    ]
    return State(
        answers={name: tracker.get_slot(name) for name in ANSWER_FIELDS},
        language=tracker.get_slot("language"),
        requested=requested or tracker.get_slot("requested_slot"),
        memo=tracker.get_slot(STATE) or {},
        asking=bool((tracker.active_loop or {}).get("name")),
        recent=list(dict.fromkeys(recent)),
        after_outcome=ended[-1:] == ["action_recommend"],
    )


def _before_message(tracker: Tracker, name: str) -> Any:
    """The slot's value before the latest user message (what action_extract_slots may have overwritten)."""
    events = tracker.events
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    value = None
    for event in events[:last_user]:
        if event.get("event") == "slot" and event.get("name") == name:
            value = event.get("value")
        elif event.get("event") in ("reset_slots", "restart"):
            value = None
    return value


def _answered_already(tracker: Tracker) -> bool:
    """Another action answered the user's last message (one that said nothing only handed it on)."""
    interrupted = said = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        said = said or event.get("event") == "bot"
        interrupted = interrupted or (event.get("event") == "action" and event.get("name") not in FORM_ACTIONS)
    return interrupted and said


def message_of(tracker: Tracker, step: str) -> Message:
    """The latest user message and what the NLU made of it; `step` is the action the rules chose."""
    latest = tracker.latest_message or {}
    said = [event for event in tracker.events if event.get("event") == "user"]
    set_now = {k: v for k, v in tracker.slots_to_validate().items() if k in ANSWER_FIELDS}
    return Message(
        text=latest.get("text") or "",
        intent=(latest.get("intent") or {}).get("name"),
        ranking=latest.get("intent_ranking") or [],
        entities=latest.get("entities") or [],
        language=(latest.get("metadata") or {}).get("language"),
        previous_language=(said[-2].get("metadata") or {}).get("language") if len(said) > 1 else None,
        step=step,
        slots_set=set_now,
        slots_before={name: _before_message(tracker, name) for name in set_now},
        answered=_answered_already(tracker),
        channel=tracker.get_latest_input_channel(),
    )


def events_of(message: Message, before: State, after: State, replies: List[Any]) -> List[EventType]:
    """The events that take the tracker from `before` to `after`; the form's turn always records its state."""
    if any(isinstance(reply, Pass) for reply in replies):
        return []  # the form rejects: the rules answer the message
    events: List[EventType] = [ActiveLoop(None)] if after.stopped else []
    if after.cleared:
        return events + [AllSlotsReset()] + ([SlotSet("language", after.language)] if after.language else [])
    form = message.step == "form"
    if after.language != before.language:
        events.append(SlotSet("language", after.language))
    events += [
        SlotSet(name, after.answers[name])
        for name in ANSWER_FIELDS
        if (form and name in message.slots_set) or after.answers[name] != before.answers[name]
    ]
    if form or after.memo != before.memo:
        events.append(SlotSet(STATE, after.memo))
    if form or after.stopped or after.requested != before.requested:
        events.append(SlotSet("requested_slot", after.requested))
    return events + [FollowupAction("situation_form") for reply in replies if isinstance(reply, ToQuestions)]


def utter(dispatcher: CollectingDispatcher, replies: List[Any], channel: Optional[str]) -> None:
    for reply in replies:
        if isinstance(reply, Say):
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        elif isinstance(reply, Outcome):
            dispatcher.utter_message(text=reply.text, json_message={"recommendation": reply.recommendation})
        elif isinstance(reply, Link):
            custom = {"link": reply.link} if channel in CUSTOM_CHANNELS else None
            dispatcher.utter_message(text=reply.text, image=reply.qr_png, json_message=custom)


def run_turn(
    step: str, dispatcher: CollectingDispatcher, tracker: Tracker, requested: Optional[str] = None
) -> List[EventType]:
    """The one call of `turn` for an action: `step` is what the rules chose for the message."""
    message, before = message_of(tracker, step), state_of(tracker, requested)
    after, replies = turn(before, message, today())
    utter(dispatcher, replies, message.channel)
    return events_of(message, before, after, replies)


class Step(Action):
    """An action that is one step of the conversation."""

    action_name, step = "", ""

    def name(self) -> Text:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        return run_turn(self.step, dispatcher, tracker)


def step_action(class_name: str, action_name: str, step: str) -> type:
    return type(class_name, (Step,), {"action_name": action_name, "step": step, "__module__": __name__})
