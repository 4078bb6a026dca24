"""Action tests with tracker fixtures: the actions translate between the tracker and `bot`."""
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.asks import AskForField
from actions.form import ValidateSituationForm
from actions.navigation import ActionGoBack, ActionStartOver, ActionStop
from actions.recommend import ActionRecommend
from actions.replies import ActionFallback, ActionReply
from bot.routing import SITUATION_FIELDS

DOMAIN: Dict[str, Any] = {"forms": {"situation_form": {"required_slots": list(SITUATION_FIELDS)}}, "slots": {}}

WORKER = {"procedure": "temporary_residence", "citizenship": "IN", "purpose": "work", "in_poland": True,
          "permit_expires": "2027-01-10", "minor": False, "has_pesel": True}


def tracker(slots: Optional[Dict[str, Any]] = None, text: str = "", intent: str = "inform",
            entities: Optional[List[Dict[str, Any]]] = None, set_now: Optional[Dict[str, Any]] = None,
            requested: Optional[str] = None, metadata: Optional[Dict[str, Any]] = None,
            after_user: Optional[List[Dict[str, Any]]] = None) -> Tracker:
    """A tracker whose last user message is `text`; `set_now` are slots set since that message."""
    values = {name: None for name in SITUATION_FIELDS}
    values.update(slots or {})
    values.update(set_now or {})
    values["requested_slot"] = requested
    values.setdefault("language", None)
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or [],
               "metadata": metadata or {}}
    events = [{"event": "slot", "name": k, "value": v} for k, v in (slots or {}).items()]
    events.append({"event": "user", "text": text, "parse_data": message, "metadata": metadata or {}})
    events += after_user or []
    events += [{"event": "slot", "name": k, "value": v} for k, v in (set_now or {}).items()]
    return Tracker("test", values, message, events, False, None,
                   {"name": "situation_form"} if requested else {}, "action_listen")


async def run(action: Any, t: Tracker) -> tuple:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, DOMAIN)
    return events, dispatcher.messages


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize("requested,text,intent,expected", [
    ("citizenship", "Ukraine", "inform", "UA"),
    ("citizenship", "I am indian", "inform", "IN"),
    ("in_poland", "yes", "affirm", True),
    ("minor", "no", "deny", False),
    ("has_pesel", "no, I don't", "deny", False),
    ("permit_expires", "my visa ends on 31.12.2026", "inform", "2026-12-31"),
    ("ukr_status_since", "since 15 March 2022", "inform", "2022-03-15"),
    ("purpose", "I came to study", "inform", "studies"),
    ("procedure", "visa extension", "inform", "visa_extension"),
])
async def test_typed_answers_fill_the_requested_field(requested, text, intent, expected):
    slots = {"procedure": "temporary_residence", "citizenship": "UA", "ukr_status": True} if requested not in (
        "procedure", "citizenship") else {}
    events, messages = await run(ValidateSituationForm(), tracker(slots, text, intent, requested=requested))
    assert slot_events(events)[requested] == expected
    assert messages == []


async def test_button_payload_is_validated_and_next_question_comes_from_the_engine():
    t = tracker({}, '/inform{"procedure": "cukr"}', set_now={"procedure": "cukr"}, requested="procedure")
    events, _ = await run(ValidateSituationForm(), t)
    slots = slot_events(events)
    assert slots["procedure"] == "cukr"
    assert slots["requested_slot"] == "citizenship"


async def test_ukrainian_with_status_is_asked_since_when_others_are_not():
    t = tracker({"procedure": "temporary_residence"}, "Ukraine", requested="citizenship")
    assert slot_events((await run(ValidateSituationForm(), t))[0])["requested_slot"] == "ukr_status"
    t = tracker({"procedure": "temporary_residence"}, "India", requested="citizenship")
    assert slot_events((await run(ValidateSituationForm(), t))[0])["requested_slot"] == "purpose"


async def test_an_unreadable_answer_is_explained_and_asked_again():
    answered = {k: v for k, v in WORKER.items() if k != "permit_expires"}
    t = tracker(answered, "sometime soon maybe", requested="permit_expires")
    events, messages = await run(ValidateSituationForm(), t)
    slots = slot_events(events)
    assert slots["permit_expires"] is None
    assert slots["requested_slot"] == "permit_expires"
    assert "31.12.2026" in messages[0]["text"]


async def test_a_start_of_status_in_the_future_is_refused():
    t = tracker({"procedure": "cukr", "citizenship": "UA", "ukr_status": True}, "01.01.2030",
                requested="ukr_status_since")
    events, messages = await run(ValidateSituationForm(), t)
    assert slot_events(events)["ukr_status_since"] is None
    assert "future" in messages[0]["text"]


async def test_a_question_about_a_topic_lets_the_form_step_aside():
    t = tracker({"procedure": "cukr"}, "what is cukr?", intent="ask_cukr", requested="citizenship")
    events, messages = await run(ValidateSituationForm(), t)
    assert events == [] and messages == []


async def test_after_an_interruption_the_form_asks_again_without_reading_the_old_message():
    t = tracker({"procedure": "cukr"}, "what is cukr?", intent="ask_cukr", requested="citizenship",
                after_user=[{"event": "action", "name": "action_reply"}])
    events, messages = await run(ValidateSituationForm(), t)
    slots = slot_events(events)
    assert slots["requested_slot"] == "citizenship" and "citizenship" not in slots and messages == []


async def test_the_form_ends_when_nothing_is_missing():
    t = tracker(WORKER, "yes", intent="affirm", requested="has_trusted_profile")
    events, _ = await run(ValidateSituationForm(), t)
    assert slot_events(events) == {"has_trusted_profile": True, "requested_slot": None, "language": "en"}


async def test_recommendation_is_text_and_custom_json():
    t = tracker({**WORKER, "has_trusted_profile": True}, "yes", intent="affirm")
    _, messages = await run(ActionRecommend(), t)
    rec = messages[0]["custom"]["recommendation"]
    assert (rec["channel"], rec["authority"], rec["employer_action"]) == ("mos", "mos", "annex_1_link")
    assert rec["signature_options"] == ["trusted_profile", "qualified_signature"]
    assert rec["missing"] == [] and rec["cukr_eligible"] is False
    assert "MOS" in messages[0]["text"]
    texts = [m["text"] for m in messages]
    assert any(t.startswith("Next steps:") for t in texts) and any("R-CH-10" in t for t in texts)
    assert all(len(t) < 4096 for t in texts)  # Telegram's limit for one message


@pytest.mark.parametrize("field", SITUATION_FIELDS)
async def test_every_question_comes_with_contract_buttons_or_a_typing_hint(field):
    action = type("Ask", (AskForField,), {"field": field})()
    _, messages = await run(action, tracker())
    assert action.name() == f"action_ask_{field}"
    message = messages[0]
    assert message["text"]
    for button in message["buttons"]:
        assert button["payload"].startswith('/inform{"' + field + '": ')
    assert len(message["buttons"]) >= 2
    if field in ("ukr_status_since", "permit_expires"):
        assert "for example" in message["text"]  # the exact date can always be typed


async def test_go_back_clears_the_last_answer():
    t = tracker({"procedure": "cukr", "citizenship": "UA"}, "go back", intent="go_back")
    events, _ = await run(ActionGoBack(), t)
    assert slot_events(events)["citizenship"] is None
    assert "procedure" not in slot_events(events)


async def test_go_back_with_nothing_answered_says_so():
    events, messages = await run(ActionGoBack(), tracker({}, "back", intent="go_back"))
    assert "no answer" in messages[0]["text"] and "citizenship" not in slot_events(events)


async def test_start_over_and_stop():
    events, _ = await run(ActionStartOver(), tracker(WORKER, "restart", intent="start_over"))
    assert events[0]["event"] == "reset_slots"
    events, messages = await run(ActionStop(), tracker(WORKER, "stop", intent="stop", requested="has_pesel"))
    assert {"event": "active_loop", "name": None, "timestamp": None} in events or any(
        e.get("event") == "active_loop" and e.get("name") is None for e in events)
    assert "stopped" in messages[0]["text"]


@pytest.mark.parametrize("intent,needle", [("greet", "MOS"), ("ask_cukr", "365"), ("ask_human", "47 721 76 75"),
                                           ("ask_fees", "440 PLN"), ("out_of_scope", "only help")])
async def test_replies_come_from_the_catalog(intent, needle):
    _, messages = await run(ActionReply(), tracker({}, "x", intent=intent))
    assert needle in messages[0]["text"]


async def test_fallback_offers_a_way_forward():
    _, messages = await run(ActionFallback(), tracker({}, "asdf qwer", intent="nlu_fallback"))
    assert messages[0]["buttons"][0]["payload"] == "/start_application"


async def test_language_comes_from_metadata_and_is_remembered():
    events, _ = await run(ActionReply(), tracker({}, "hi", intent="greet", metadata={"language": "en"}))
    assert slot_events(events) == {"language": "en"}


async def test_a_control_command_button_lets_the_form_step_aside():
    t = tracker({"procedure": "cukr"}, "/go_back", intent="go_back", requested="citizenship")
    events, messages = await run(ValidateSituationForm(), t)
    assert events == [] and messages == []


@pytest.mark.parametrize("text,intent,expected", [
    ("I don't have a PESEL", "ask_pesel", False),
    ("yes, thanks", "thank", True),
])
async def test_a_yes_no_answer_that_reads_like_a_topic_question_still_answers(text, intent, expected):
    t = tracker({"procedure": "cukr", "citizenship": "UA"}, text, intent=intent, requested="has_pesel")
    events, _ = await run(ValidateSituationForm(), t)
    assert slot_events(events)["has_pesel"] is expected


async def test_a_real_topic_question_at_a_yes_no_question_steps_aside():
    t = tracker({"procedure": "cukr"}, "what is a PESEL number?", intent="ask_pesel", requested="has_pesel")
    assert (await run(ValidateSituationForm(), t))[0] == []


@pytest.mark.parametrize("text,expected", [
    ("since 2022", "2022-12-31"),   # any day of 2022 gives the same answer: keep the last one
    ("2024", "2024-12-31"),
    ("since 2025", None),           # 1 January and 31 December 2025 give different answers: ask exactly
    ("2031", None),                 # in the future
])
async def test_a_year_alone_is_enough_only_when_it_decides(text, expected):
    t = tracker({"procedure": "cukr", "citizenship": "UA", "ukr_status": True}, text, requested="ukr_status_since")
    events, messages = await run(ValidateSituationForm(), t)
    assert slot_events(events)["ukr_status_since"] == expected
    assert bool(messages) is (expected is None)


async def test_date_buttons_stand_for_ranges_that_decide_alike(today):
    ukrainian = {"procedure": "cukr", "citizenship": "UA", "ukr_status": True}
    action = type("Ask", (AskForField,), {"field": "ukr_status_since"})()
    _, messages = await run(action, tracker(ukrainian))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == ['/inform{"ukr_status_since": "2025-06-04"}', '/inform{"ukr_status_since": "2025-06-05"}']
    action = type("Ask", (AskForField,), {"field": "permit_expires"})()
    _, messages = await run(action, tracker({"procedure": "permanent_residence", "in_poland": True}))
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/inform{"permit_expires": "2026-11-22"}', '/inform{"permit_expires": "2026-11-23"}']


def test_no_on_or_before_button_while_the_exact_day_still_matters():
    import datetime
    from bot.questions import date_choices
    from bot.routing import Situation
    sit = Situation(procedure="cukr", citizenship="UA", ukr_status=True)
    # On 2026-05-20 status since 2025-06-04 has fewer than 365 days, since 2021 has more.
    keys = [key for key, _ in date_choices("ukr_status_since", datetime.date(2026, 5, 20), sit)]
    assert keys == ["options.dates.ukr_after"]


async def test_a_new_session_keeps_the_answers_and_takes_the_channel_language():
    from actions.replies import ActionSessionStart
    t = tracker({"procedure": "cukr", "citizenship": "UA"}, "hi", intent="greet")
    t.slots["session_started_metadata"] = {"language": "uk"}
    events, _ = await run(ActionSessionStart(), t)
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"
    slots = slot_events(events)
    assert (slots["procedure"], slots["citizenship"], slots["language"]) == ("cukr", "UA", "uk")
