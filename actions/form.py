"""validate_situation_form: reads answers, explains a bad one, and asks only what the engine misses."""
from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import context
from actions.parsing import parse, parse_bool, year_only
from bot.questions import BOOL_FIELDS, decides_alike
from bot.routing import SITUATION_FIELDS, recommend

#: Intents that leave the question for a moment; rules answer them and come back to the form.
CONTROL = {"go_back", "stop", "start_over", "goodbye", "change_language"}
INTERRUPTIONS = CONTROL | {
    "ask_cukr", "ask_signature", "ask_paper", "ask_mos", "ask_fees", "ask_fingerprints",
    "ask_confirmation", "ask_employer", "ask_pesel", "ask_human", "greet", "thank",
}


FORM_ACTIONS = {"situation_form", "validate_situation_form", "action_listen"}


def _returning_from_interruption(tracker: Tracker) -> bool:
    """True when another action answered the user's last message before the form runs again."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") not in FORM_ACTIONS:
            return True
    return False


class ValidateSituationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_situation_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        lang, language_events = context.language(tracker)
        requested = tracker.get_slot("requested_slot")
        intent = context.latest_intent(tracker)
        just_set = tracker.slots_to_validate()
        interrupted = _returning_from_interruption(tracker)
        if requested and not just_set and not interrupted and intent in INTERRUPTIONS \
                and not self._answers_yes_no(requested, tracker, lang, intent):
            # Returning no slot lets the form reject, so the rules for these intents can answer.
            return []
        events: List[EventType] = list(language_events)
        values: Dict[str, Any] = {}
        for field, value in just_set.items():
            if field in SITUATION_FIELDS:
                values[field] = self._checked(field, value, lang, intent, dispatcher, tracker)
        if requested in SITUATION_FIELDS and requested not in just_set and not interrupted:
            values[requested] = self._checked(requested, context.latest_text(tracker), lang, intent, dispatcher,
                                              tracker)
        events += [SlotSet(field, value) for field, value in values.items()]
        events.append(SlotSet("requested_slot", self._next_field(tracker, values)))
        return events

    @staticmethod
    def _answers_yes_no(field: str, tracker: Tracker, lang: str, intent: Optional[str]) -> bool:
        """'I don't have a PESEL' may read as a PESEL question, but it answers the yes/no one."""
        if intent in CONTROL or field not in BOOL_FIELDS:
            return False
        return parse_bool(context.latest_text(tracker), lang) is not None

    def _checked(self, field: str, raw: Any, lang: str, intent: Optional[str], dispatcher: CollectingDispatcher,
                 tracker: Tracker) -> Any:
        today = context.today()
        value = parse(field, raw, lang, today, intent)
        if value is None and field == "ukr_status_since":
            value = self._year_if_it_decides(raw, tracker, today)
        if value is not None and field == "ukr_status_since" and value > today:
            dispatcher.utter_message(text=context.say("explain.future_date", lang))
            return None
        if value is None:
            dispatcher.utter_message(text=context.say(f"explain.{field}", lang))
            return None
        return value.isoformat() if hasattr(value, "isoformat") else value

    @staticmethod
    def _year_if_it_decides(raw: Any, tracker: Tracker, today: datetime.date) -> Optional[datetime.date]:
        """'Since 2022' is enough when any day of that year gives the same CUKR answer.

        The last day of the year is kept (fewer days of status, never more); when the first and
        the last day disagree (2025, around 4 June), the exact date has to be asked.
        """
        year = year_only(raw)
        if year is None:
            return None
        first, last = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
        if first > today:
            return None
        return last if decides_alike(context.situation(tracker), "ukr_status_since", [first, last], today) else None

    @staticmethod
    def _next_field(tracker: Tracker, values: Dict[str, Any]) -> Optional[str]:
        missing = recommend(context.situation(tracker, values), context.today()).missing
        return missing[0] if missing else None
