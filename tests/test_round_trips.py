"""One action-server call per form turn: the validation asks the next question itself."""

import yaml
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.asks import AskForField, ask_requested
from actions.form import ValidateSituationForm
from actions.form_asks import ValidateAndAsk
from tools.stack import ROOT

from test_actions import DOMAIN, run, slot_events, tracker  # noqa: E402 - the same tracker fixtures


def test_the_action_server_runs_the_validation_that_asks(monkeypatch):
    monkeypatch.setenv("ACTIONS_WARM_UP", "0")
    executor = ActionExecutor()
    executor.register_package("actions")
    assert executor.actions["validate_situation_form"].__self__.__class__ is ValidateAndAsk


def test_the_domain_names_no_ask_action_so_rasa_makes_no_second_call():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    assert not [a for a in domain["actions"] if a.startswith(("action_ask_", "utter_ask_"))]
    assert not [r for r in domain.get("responses", {}) if r.startswith("utter_ask_")]


async def test_validation_then_the_question_it_requests_in_one_call():
    t = tracker(
        {"applicant": "self"},
        '/inform{"procedure": "temporary_residence"}',
        intent="inform",
        set_now={"procedure": "temporary_residence"},
        requested="procedure",
    )
    events, messages = await run(ValidateAndAsk(), t)
    requested = slot_events(events)["requested_slot"]
    plain_events, plain_messages = await run(ValidateSituationForm(), t)
    assert events == plain_events and messages[: len(plain_messages)] == plain_messages
    asked = messages[len(plain_messages) :]
    assert len(asked) == 1
    # the same question action_ask_<slot> asks, on the tracker after the validation's events
    after = t.copy()
    for event in events:
        if event.get("event") == "slot":
            after.slots[event["name"]] = event["value"]
    _, expected = await run(type("Ask", (AskForField,), {"field": requested})(), after)
    assert asked == expected


async def test_nothing_is_asked_when_the_validation_lets_the_form_reject():
    dispatcher = CollectingDispatcher()
    await ask_requested(dispatcher, tracker(), [], {"actions": []})
    assert dispatcher.messages == []


async def test_a_model_whose_domain_still_lists_the_ask_action_is_not_asked_twice():
    t = tracker(
        {"applicant": "self"},
        '/inform{"procedure": "temporary_residence"}',
        intent="inform",
        set_now={"procedure": "temporary_residence"},
        requested="procedure",
    )
    dispatcher = CollectingDispatcher()
    events = await ValidateAndAsk().run(dispatcher, t, {**DOMAIN, "actions": ["action_ask_citizenship"]})
    plain_events, plain_messages = await run(ValidateSituationForm(), t)
    assert slot_events(events)["requested_slot"] == "citizenship"
    assert dispatcher.messages == plain_messages
