"""Faults and hostile input on the REST channel: a 4xx with a reason or a helpful reply, never a 5xx
or a broken conversation; over-long messages get a clear reply; the logs carry no message text."""

import json
import urllib.error
import urllib.request
from typing import Any, Dict, List, Tuple

import pytest

from bot import i18n
from connectors.rest import MAX_MESSAGE_CHARS
from tools.stack import Stack

pytestmark = pytest.mark.slow

#: personal data a user might type; none of it may reach a log file at INFO
PERSONAL = ["Zbigniew Kowalczyk-Testowy", "AB1234567", "17.03.2027"]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with Stack.running(tmp_path_factory.mktemp("run"), {"LOG_LEVEL": "INFO"}) as s:
        yield s


def raw_post(stack: Stack, data: bytes, content_type: str = "application/json") -> Tuple[int, Any]:
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
    request = urllib.request.Request(url, data=data, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, json.loads(body)
        except ValueError:
            return error.code, body.decode("utf-8", "replace")


def say(stack: Stack, sender: str, message: Any, language: str = "en") -> Tuple[int, Any]:
    return raw_post(stack, json.dumps({"sender": sender, "message": message, "metadata": {"language": language}}).encode())


def asked(answer: List[Dict[str, Any]]) -> str:
    for button in answer[-1].get("buttons") or []:
        if button["payload"] == "/affirm":
            return "confirm_facts"
        if button["payload"].startswith("/inform"):
            return next(iter(json.loads(button["payload"][len("/inform") :])))
    return answer[-1].get("text", "")


@pytest.mark.parametrize(
    "body,field",
    [
        (b"{broken", "body"),
        (b"[1, 2]", "body"),
        (b"null", "body"),
        (json.dumps({"sender": "x"}).encode(), "message"),
        (json.dumps({"sender": "x", "message": 42}).encode(), "message"),
        (json.dumps({"sender": "", "message": "hi"}).encode(), "sender"),
        (json.dumps({"sender": "x" * 1000, "message": "hi"}).encode(), "sender"),
        (json.dumps({"sender": "x", "message": "hi", "metadata": "pl"}).encode(), "metadata"),
        (json.dumps({"sender": "x", "message": ""}).encode(), "message"),
        (json.dumps({"sender": "x", "message": " \u202e\u200b\x00 "}).encode(), "message"),
    ],
)
def test_malformed_requests_get_a_400_with_the_field_at_fault(stack, body, field):
    status, answer = raw_post(stack, body)
    assert status == 400, answer
    assert answer["fields"][0]["field"] == field


def test_a_non_json_content_type_is_a_400_not_a_500(stack):
    status, _ = raw_post(stack, b"sender=x&message=hi", content_type="application/x-www-form-urlencoded")
    assert status == 400


@pytest.mark.parametrize("language", ["en", "pl", "uk", "ru"])
def test_a_100_kb_message_gets_a_clear_reply_in_the_users_language(stack, language):
    status, answer = say(stack, f"hostile-long-{language}", "a" * 100_000, language)
    assert status == 200
    expected = i18n.t("limits.message_too_long", language, max_chars=MAX_MESSAGE_CHARS)
    assert answer[0]["text"] == expected


@pytest.mark.parametrize(
    "message",
    [
        "hel\x00lo\x07\x1b[31m",
        "\u202eI want to apply for a residence permit",
        "\u2067\u200f\u0645\u0631\u062d\u0628\u0627\u2069 hello",
        "<script>alert(1)</script>",
        "{{7*7}} {% if x %} ${TRACKER_DB} {0} %(name)s {language}",
        "'; DROP TABLE events; --",
        "\ud83d\ude00" * 50,
        "/",
        "/nonexistent_intent",
        "/inform",
        '/inform{"procedure": ',
        "/inform[1, 2]",
        '/inform{"procedure": "spaceship"}',
        '/inform{"unknown_field": 1}',
        '/inform{"permit_expires": "soon-ish"}',
        '/inform{"minor": "maybe", "citizenship": 12345}',
        '/start_application{"procedure": {"nested": [1, 2]}}',
    ],
)
def test_hostile_messages_get_a_helpful_reply_and_the_conversation_goes_on(stack, message):
    sender = f"hostile-{abs(hash(message))}"
    status, answer = say(stack, sender, message)
    assert status == 200, answer
    assert answer and all(m.get("text") or m.get("buttons") or m.get("custom") for m in answer), answer
    texts = " ".join(m.get("text") or "" for m in answer)
    assert "<script>" not in texts and "49" not in texts and "Traceback" not in texts
    # the conversation is not broken: the questions start and a button answer is taken
    status, answer = say(stack, sender, "/start_application")
    assert status == 200 and asked(answer) in ("applicant", "procedure", "citizenship", "purpose"), answer


def test_nonsense_answers_inside_the_form_are_asked_again_and_nothing_is_lost(stack):
    sender = "hostile-form"
    say(stack, sender, "/start_application")
    say(stack, sender, '/inform{"applicant": "self"}')
    status, answer = say(stack, sender, '/inform{"procedure": "temporary_residence"}')
    assert asked(answer) == "citizenship"
    # one nonsense answer per question (a question still unanswered after two asks is left out, by design)
    for nonsense, question, valid, next_question in [
        ("Atlantis", "citizenship", "India", "purpose"),
        ('/inform{"purpose": "to_the_moon"}', "purpose", '/inform{"purpose": "work"}', "in_poland"),
    ]:
        status, answer = say(stack, sender, nonsense)
        assert status == 200 and answer and asked(answer) == question, (nonsense, answer)
        status, answer = say(stack, sender, valid)
        assert status == 200 and asked(answer) == next_question, (valid, answer)
    with urllib.request.urlopen(f"http://127.0.0.1:{stack.rasa_port}/conversations/{sender}/tracker") as reply:
        slots = json.loads(reply.read())["slots"]
    assert (slots["procedure"], slots["citizenship"], slots["purpose"]) == ("temporary_residence", "IN", "work")


def test_the_logs_at_info_carry_no_message_text_or_personal_data(stack):
    sender = "hostile-privacy"
    say(stack, sender, f"My name is {PERSONAL[0]}, passport {PERSONAL[1]}")
    say(stack, sender, "/start_application")
    say(stack, sender, '/inform{"procedure": "temporary_residence"}')
    say(stack, sender, "Ukraine")
    say(stack, sender, f"my visa ends on {PERSONAL[2]}")
    logs = {path.name: path.read_text(errors="replace") for path in stack.run_dir.glob("*.log")}
    assert {"rasa.log", "actions.log", "web.log"} <= set(logs)
    for name, text in logs.items():
        for secret in PERSONAL + ["passport", "Ukraine"]:
            assert secret not in text, f"{name} logs {secret!r}"
