"""validate_situation_form as the action server runs it: the validation, then the next question,
in one call.

Measured with bench/round_trips.py: each form turn made two action-server calls, the validation
and then action_ask_<slot>; each call sends the whole tracker over HTTP. Rasa's form asks nothing
itself when the domain has no action_ask_<slot> or utter_ask_<slot> for the requested slot
(rasa/core/actions/forms.py, FormAction._ask_for_slot: "the user might have asked as part of a
custom action"), and Rasa calls the validation action on every run of the form (activation, each
answer, and coming back after an interruption: FormAction._validate_if_required), so asking here
saves one round trip per form turn. The question itself is still actions/asks.py's.

This subclass is registered after ValidateSituationForm under the same name (rasa-sdk registers
subclasses after their base), so it is the one Rasa calls; ValidateSituationForm alone stays what
tests/test_actions.py checks.
"""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.asks import ask_requested
from actions.form import ValidateSituationForm


class ValidateAndAsk(ValidateSituationForm):
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        await ask_requested(dispatcher, tracker, events, domain)
        return events
