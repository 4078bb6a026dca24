"""The real servers, started as `make run` starts them, driven over Rasa's REST channel."""
import json
import os
import signal
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List

import pytest

from bot.routing import SITUATION_FIELDS
from tools.stack import MODEL, Stack

pytestmark = pytest.mark.slow


def post(url: str, body: Any) -> tuple:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    assert MODEL.exists(), "make test trains the model first"
    s = Stack.on_free_ports(tmp_path_factory.mktemp("run"))
    s.start()
    try:
        s.wait_ready(timeout=300)
        yield s
    finally:
        s.stop()


class Chat:
    def __init__(self, stack: Stack, sender: str):
        self.url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
        self.sender = sender

    def say(self, message: str) -> List[Dict[str, Any]]:
        status, answer = post(self.url, {"sender": self.sender, "message": message, "metadata": {"language": "en"}})
        assert status == 200, answer
        assert answer, f"no answer to {message!r}"
        return answer

    @staticmethod
    def asked(answer: List[Dict[str, Any]]) -> str:
        """The field the last message's buttons collect, or its text for a typed question."""
        last = answer[-1]
        for button in last.get("buttons") or []:
            if button["payload"].startswith("/inform"):
                return next(iter(json.loads(button["payload"][len("/inform"):])))
        return last.get("text", "")


def test_a_whole_conversation_from_hello_to_the_recommendation(stack):
    chat = Chat(stack, "e2e-full")
    assert "MOS" in chat.say("hello")[0]["text"]
    assert chat.asked(chat.say("How do I apply for a residence permit?")) == "procedure"
    script = [('/inform{"procedure": "temporary_residence"}', "citizenship"), ("India", "purpose"),
              ('/inform{"purpose": "work"}', "in_poland"), ("yes", "permit_expires"), ("31.12.2026", "minor"),
              ("no", "has_trusted_profile"), ('/inform{"has_trusted_profile": false}', "has_pesel")]
    for message, next_field in script:
        answer = chat.say(message)
        asked = chat.asked(answer)
        assert asked == next_field or (next_field == "permit_expires" and "legal stay end" in asked), (message, answer)
    replies = [chat.say('/inform{"has_pesel": true}')]
    outcome = [m for m in replies[-1] if m.get("custom", {}).get("recommendation")]
    assert outcome, replies[-3:]
    rec = outcome[0]["custom"]["recommendation"]
    assert outcome[0]["text"]
    assert (rec["channel"], rec["authority"], rec["signer"], rec["employer_action"]) == \
        ("mos", "mos", "applicant", "annex_1_link")
    assert rec["signature_options"] == ["trusted_profile", "qualified_signature"]
    assert rec["missing"] == [] and rec["cukr_eligible"] is False

    with urllib.request.urlopen(f"http://127.0.0.1:{stack.rasa_port}/conversations/e2e-full/tracker") as answer:
        slots = json.loads(answer.read())["slots"]
    assert set(SITUATION_FIELDS) | {"language"} <= set(slots)
    assert (slots["citizenship"], slots["permit_expires"], slots["in_poland"], slots["language"]) == \
        ("IN", "2026-12-31", True, "en")


def test_a_new_fact_after_the_outcome_asks_what_it_opens_or_answers_again(stack):
    chat = Chat(stack, "e2e-full")  # continues the conversation above
    assert chat.asked(chat.say('/inform{"citizenship": "UA"}')) == "ukr_status"
    chat.say('/inform{"ukr_status": false}')
    outcome = [m for m in chat.say('/inform{"citizenship": "GE"}') if "recommendation" in (m.get("custom") or {})]
    assert outcome and outcome[0]["custom"]["recommendation"]["cukr_eligible"] is False


@pytest.mark.parametrize("pick", [0, -1], ids=["first buttons", "last buttons"])
def test_buttons_alone_lead_to_a_recommendation(stack, pick):
    chat = Chat(stack, f"e2e-buttons-{pick}")
    answer = chat.say("/start_application")
    for _ in range(15):
        outcome = [m for m in answer if "recommendation" in (m.get("custom") or {})]
        if outcome:
            assert outcome[0]["custom"]["recommendation"]["missing"] == []
            return
        buttons = answer[-1].get("buttons") or []
        assert buttons, f"a question without buttons: {answer[-1].get('text')}"
        answer = chat.say(buttons[pick]["payload"])
    pytest.fail("no recommendation after 15 buttons")


def test_a_question_during_the_form_is_answered_and_the_form_goes_on(stack):
    chat = Chat(stack, "e2e-faq")
    assert chat.asked(chat.say("/start_application")) == "procedure"
    answer = chat.say("what is the CUKR card?")
    assert any("365" in (m.get("text") or "") for m in answer)
    assert chat.asked(answer) == "procedure"


def test_go_back_asks_the_last_question_again(stack):
    chat = Chat(stack, "e2e-back")
    chat.say("/start_application")
    chat.say('/inform{"procedure": "cukr"}')
    assert chat.asked(chat.say("/go_back")) == "procedure"


def test_a_malformed_request_gets_a_reason(stack):
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
    status, answer = post(url, {"message": "hi"})
    assert status == 400 and answer["fields"][0]["field"] == "sender"
    status, answer = post(url, b"{broken")
    assert status == 400


def test_conversations_survive_a_rasa_restart(stack):
    url = f"http://127.0.0.1:{stack.rasa_port}/conversations/e2e-full/tracker"
    with urllib.request.urlopen(url) as answer:
        before = json.loads(answer.read())["slots"]
    stack.restart("rasa")
    with urllib.request.urlopen(url) as answer:
        after = json.loads(answer.read())["slots"]
    assert after["citizenship"] == before["citizenship"] == "GE"
    assert {k: after[k] for k in SITUATION_FIELDS} == {k: before[k] for k in SITUATION_FIELDS}


def test_action_server_down_gets_an_apology_not_silence(stack):
    actions = stack.process("actions")
    os.killpg(actions.pid, signal.SIGTERM)
    actions.wait(timeout=20)
    time.sleep(1)
    answer = Chat(stack, "e2e-down").say("hello")
    assert "Sorry" in answer[0]["text"]
