"""Telegram and Messenger: real webhook payloads into the running Rasa server; the platforms'
APIs are loopback fakes (tests/fakes.py) that record what would have been sent."""

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, List, Optional

import pytest
from fakes import FakeGraph, FakeTelegram

from bot import i18n, questions
from bot.routing import SITUATION_FIELDS
from connectors import messenger
from connectors.split import split_text
from connectors.telegram import MAX_CALLBACK_DATA, secret_for
from tools.stack import MODEL, Stack

TG_TOKEN = "123456:TEST-token-for-the-fake-api"
TG_BOT = "mos_test_bot"
FB_SECRET = "fb-app-secret"
FB_VERIFY = "fb-verify-token"
#: the answers given, by the field a question's buttons collect; a value without a button is typed
ANSWERS = {
    "applicant": "self",
    "procedure": "temporary_residence",
    "citizenship": "IN",
    "purpose": "work",
    "in_poland": True,
    "permit_expires": "31.12.2026",
    "minor": False,
    "has_pesel": True,
    "has_trusted_profile": True,
    "has_qualified_signature": False,
    "ukr_status": False,
}
update_ids = itertools.count(1000)


# Fast checks of the platforms' limits ----------------------------------------------------------


def test_every_button_fits_telegrams_callback_data():
    for lang, field in itertools.product(i18n.SUPPORTED_LANGUAGES, SITUATION_FIELDS):
        for button in questions.buttons(field, lang):
            assert len(button["payload"].encode()) <= MAX_CALLBACK_DATA, button


def test_long_texts_are_split_at_paragraphs_within_the_limit():
    text = "\n\n".join(f"Paragraph {i}. " + "word " * 150 for i in range(12))
    parts = split_text(text, 4096)
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert all(p.startswith("Paragraph") for p in parts)  # no paragraph was cut in the middle
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())


def test_messenger_pages_long_button_lists():
    buttons = [{"title": f"A rather long option title {i}", "payload": f'/inform{{"x": {i}}}'} for i in range(14)]
    first = messenger.pages(buttons)
    assert len(first) == 13 and all(len(r["title"]) <= 20 for r in first)
    assert first[-1]["payload"].startswith(messenger.MORE) and first[-1]["title"] == "▶ 13-14"
    rest = json.loads(first[-1]["payload"][len(messenger.MORE) :])
    assert [p for _, p in rest] == [b["payload"] for b in buttons[12:]]
    assert len(first[-1]["payload"]) <= 1000  # Messenger's limit for a quick reply payload


# The running stack -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def telegram():
    fake = FakeTelegram(TG_TOKEN, TG_BOT)
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def graph():
    fake = FakeGraph()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, telegram, graph):
    assert MODEL.exists(), "make test trains the model first"
    env = {
        "TELEGRAM_TOKEN": TG_TOKEN,
        "TELEGRAM_VERIFY": TG_BOT,
        "TELEGRAM_API_URL": telegram.url,
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook",
        "FB_VERIFY": FB_VERIFY,
        "FB_SECRET": FB_SECRET,
        "FB_PAGE_ACCESS_TOKEN": "page-token",
        "FB_API_URL": graph.url,
        "LINK_SECRET": "channels-secret",
    }
    with Stack.running(tmp_path_factory.mktemp("run"), env) as s:
        yield s


def post(url: str, body: bytes, headers: Dict[str, str]) -> tuple:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def get(url: str) -> tuple:
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def inform_field(payload: str) -> str:
    return next(iter(json.loads(payload[len("/inform") :]))) if payload.startswith("/inform") else payload


def drive(
    send: Callable[[str], List[Dict[str, Any]]],
    buttons_of: Callable[[List[Dict[str, Any]]], List[Dict[str, str]]],
    first: str,
) -> List[Dict[str, Any]]:
    """Answer every question from ANSWERS, by button where there is one, until the recommendation."""
    sent = send(first)
    for _ in range(15):
        buttons = buttons_of(sent)
        if any(b["payload"] == "/affirm" for b in buttons):  # "did I understand that right?"
            sent = send("/affirm")
            continue
        informs = [b for b in buttons if b["payload"].startswith("/inform")]
        if not informs:
            return sent
        field = next(iter(json.loads(informs[0]["payload"][len("/inform") :])))
        wanted = ANSWERS[field]
        chosen = [b for b in informs if json.loads(b["payload"][len("/inform") :])[field] == wanted]
        sent = send(chosen[0]["payload"] if chosen else str(wanted))
    raise AssertionError("no recommendation after 15 answers")


# Telegram --------------------------------------------------------------------------------------


def tg_update(text: Optional[str] = None, callback: Optional[str] = None, chat: int = 7001, lang: str = "en") -> bytes:
    person = {"id": chat, "is_bot": False, "first_name": "Olena", "language_code": lang}
    message = {
        "message_id": next(update_ids),
        "date": int(time.time()),
        "chat": {"id": chat, "type": "private"},
        "from": person,
        "text": text or "",
    }
    if callback is not None:
        body = {
            "update_id": next(update_ids),
            "callback_query": {
                "id": str(next(update_ids)),
                "from": person,
                "chat_instance": "1",
                "data": callback,
                "message": {**message, "from": {"id": 42, "is_bot": True, "first_name": "MOS"}, "text": "question"},
            },
        }
    else:
        body = {"update_id": next(update_ids), "message": message}
    return json.dumps(body).encode()


def tg_buttons(calls: List[Dict[str, Any]]) -> List[Dict[str, str]]:
    for call in reversed(calls):
        if call.get("reply_markup"):
            rows = json.loads(call["reply_markup"])["inline_keyboard"]
            return [{"title": b["text"], "payload": b["callback_data"]} for row in rows for b in row]
    return []


def test_telegram_registers_its_webhook_with_a_secret(stack, telegram):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(c["method"] == "setWebhook" for c in telegram.calls):
        time.sleep(0.5)
    hooks = [c for c in telegram.calls if c["method"] == "setWebhook"]
    assert hooks and hooks[-1]["url"] == "https://bot.example.org/webhooks/telegram/webhook"
    assert hooks[-1]["secret_token"] == secret_for(TG_TOKEN)


def test_telegram_conversation_from_start_to_the_qr_photo(stack, telegram):
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/telegram/webhook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret_for(TG_TOKEN)}
    telegram.take()

    def send(text: str) -> List[Dict[str, Any]]:
        body = tg_update(callback=text) if text.startswith("/") else tg_update(text=text)
        status, answer = post(url, body, headers)
        assert status == 200, answer
        calls = [c for c in telegram.take() if c["method"] in ("sendMessage", "sendPhoto")]
        assert calls, f"no answer to {text!r}"
        assert all(str(c["chat_id"]) == "7001" for c in calls)
        assert all(len(c.get("text", "")) <= 4096 for c in calls)
        return calls

    # /start greets, in the language Telegram reports for the user
    status, _ = post(url, tg_update(text="/start", lang="pl"), headers)
    greeting = [c for c in telegram.take() if c["method"] == "sendMessage"]
    assert status == 200 and greeting[0]["text"] == i18n.t("chat.greet", "pl")
    assert tg_buttons(greeting)[0]["payload"] == "/start_application"
    outcome = drive(send, tg_buttons, "/start_application")
    texts = "\n".join(c.get("text", "") for c in outcome)
    assert "MOS" in texts and tg_buttons(outcome)[0]["payload"] == "/get_link"
    handoff = send("/get_link")
    photos = [c for c in handoff if c["method"] == "sendPhoto"]
    assert photos and photos[0]["photo"][:8] == b"\x89PNG\r\n\x1a\n"  # uploaded, not a localhost address
    link = [c["text"] for c in handoff if c["method"] == "sendMessage" and "/l/" in c.get("text", "")]
    page = link[0].split("http://localhost:")[1].split()[0].split("/", 1)[1]
    status, body = get(f"http://127.0.0.1:{stack.web_port}/{page}")
    assert status == 200 and b'lang="pl"' in body  # the user's Telegram language carried into the link


def test_telegram_refuses_a_wrong_secret_or_a_revoked_token(stack, telegram):
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/telegram/webhook"
    telegram.take()
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
        status, _ = post(url, tg_update(text="hello", chat=7002), headers)
        assert status == 403
    assert telegram.take() == []  # nobody was answered, not even asked about
    telegram.revoked = True  # Telegram no longer accepts the bot token
    try:
        secret = {"X-Telegram-Bot-Api-Secret-Token": secret_for(TG_TOKEN)}
        status, answer = post(url, tg_update(text="hello", chat=7003), secret)
        assert status == 403 and "token" in answer
        assert telegram.take() == []
    finally:
        telegram.revoked = False


# Messenger -------------------------------------------------------------------------------------


def fb_event(sender: str, text: str) -> bytes:
    message: Dict[str, Any] = {"mid": f"m{next(update_ids)}", "text": text}
    if text.startswith("/"):
        message["quick_reply"] = {"payload": text}
    return json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": "PAGE",
                    "time": 0,
                    "messaging": [
                        {"sender": {"id": sender}, "recipient": {"id": "PAGE"}, "timestamp": 0, "message": message}
                    ],
                }
            ],
        }
    ).encode()


def signature(body: bytes, secret: str = FB_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def fb_buttons(messages: List[Dict[str, Any]]) -> List[Dict[str, str]]:
    for message in reversed(messages):
        if message.get("quick_replies"):
            return [{"title": q["title"], "payload": q["payload"]} for q in message["quick_replies"]]
    return []


def test_messenger_subscription_handshake(stack):
    base = f"http://127.0.0.1:{stack.rasa_port}/webhooks/facebook/webhook?hub.mode=subscribe&hub.challenge=4242"
    assert get(base + f"&hub.verify_token={FB_VERIFY}") == (200, b"4242")
    assert get(base + "&hub.verify_token=wrong")[0] == 403


def test_messenger_refuses_a_wrong_signature(stack, graph):
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/facebook/webhook"
    graph.take()
    body = fb_event("fb-intruder", "hello")
    for headers in (
        {},
        {"X-Hub-Signature-256": signature(body, "not-the-secret")},
        {"X-Hub-Signature": "sha1=" + "0" * 40},
        {"X-Hub-Signature": "md5=abc"},
        {"X-Hub-Signature-256": signature(fb_event("fb-intruder", "hello!"))},
    ):
        assert post(url, body, headers)[0] == 403
    assert graph.take() == []


def test_messenger_conversation_with_paged_quick_replies_and_the_qr_image(stack, graph):
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/facebook/webhook"
    graph.take()

    def send(text: str) -> List[Dict[str, Any]]:
        body = fb_event("fb-user-1", text)
        status, answer = post(url, body, {"X-Hub-Signature-256": signature(body)})
        assert status == 200, answer
        calls = graph.take()
        assert all(c["recipient"]["id"] == "fb-user-1" for c in calls)
        messages = graph.messages(calls)
        assert messages, f"no answer to {text!r}"
        for message in messages:
            assert len(message.get("text", "")) <= 2000
            replies = message.get("quick_replies") or []
            assert len(replies) <= 13 and all(len(r["title"]) <= 20 for r in replies)
        return messages

    greeting = send("hello")
    assert greeting[-1]["text"] == i18n.t("chat.greet", "en")
    assert fb_buttons(greeting) == [{"title": i18n.t("chat.start_button", "en"), "payload": "/start_application"}]
    outcome = drive(send, fb_buttons, "/start_application")
    assert fb_buttons(outcome)[0]["payload"] == "/get_link"
    handoff = send("/get_link")
    images = [m["attachment"] for m in handoff if m.get("attachment", {}).get("type") == "image"]
    assert images and images[0]["payload"]["url"].endswith(".png") and "/l/" in images[0]["payload"]["url"]
    assert any("/l/" in m.get("text", "") for m in handoff)
    # the JSON meant for REST and the widget never goes to Facebook
    assert not any("link" in m or "recommendation" in m for m in outcome + handoff)
    page = images[0]["payload"]["url"].split("http://localhost:")[1].split("/", 1)[1]
    status, png = get(f"http://127.0.0.1:{stack.web_port}/{page}")
    assert status == 200 and png[:4] == b"\x89PNG"


def test_messenger_long_lists_are_paged(stack, graph):
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/facebook/webhook"
    graph.take()

    def send(text: str) -> List[Dict[str, Any]]:
        body = fb_event("fb-user-2", text)
        assert post(url, body, {"X-Hub-Signature-256": signature(body)})[0] == 200
        return graph.messages(graph.take())

    purposes = fb_buttons(send("/start_application"))
    for _ in range(6):  # answer until the purpose question (14 choices) comes
        field = inform_field(purposes[0]["payload"])
        if field == "purpose":
            break
        purposes = fb_buttons(send(f"/inform{json.dumps({field: ANSWERS[field]})}"))
    assert len(purposes) == 13 and purposes[-1]["payload"].startswith(messenger.MORE)
    second = fb_buttons(send(purposes[-1]["payload"]))
    shown = [b["payload"] for b in purposes[:-1] + second]
    assert sorted(shown) == sorted(b["payload"] for b in questions.buttons("purpose", "en"))


# REST (contract section 3) ---------------------------------------------------------------------


def test_rest_hand_off_carries_custom_link_and_the_qr_image(stack):
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"

    def send(text: str) -> List[Dict[str, Any]]:
        body = json.dumps({"sender": "rest-link", "message": text, "metadata": {"language": "ru"}}).encode()
        status, answer = post(url, body, {})
        assert status == 200, answer
        return json.loads(answer)

    outcome = drive(send, lambda messages: messages[-1].get("buttons") or [], '/inform{"procedure": "temporary_residence"}')
    assert any(m.get("custom", {}).get("recommendation") for m in outcome)
    assert outcome[-1]["buttons"] == [{"title": i18n.t("handoff.button", "ru"), "payload": "/get_link"}]
    handoff = [m for m in send("/get_link") if m.get("custom", {}).get("link")]
    assert len(handoff) == 1
    link = handoff[0]["custom"]["link"]
    assert set(link) == {"url", "qr_png", "qr_svg"} and handoff[0]["image"] == link["qr_png"]
    assert link["url"] in handoff[0]["text"] and link["url"].startswith(f"http://localhost:{stack.web_port}/l/")
    local = link["url"].replace("localhost", "127.0.0.1")
    page, png, svg = get(local), get(local + ".png"), get(local + ".svg")
    assert page[0] == png[0] == svg[0] == 200
    assert b'<html lang="ru">' in page[1] and png[1][:4] == b"\x89PNG" and b"<svg" in svg[1]


# Socket.IO (the website widget's channel) ------------------------------------------------------


async def test_socketio_answers_in_the_pages_language_and_carries_custom_payloads(stack):
    import asyncio

    import socketio

    client = socketio.AsyncClient()
    received: List[Dict[str, Any]] = []
    client.on("bot_uttered", lambda data: received.append(data))
    # polling: this python-engineio's websocket transport needs a newer aiohttp than Rasa pins
    await client.connect(f"http://127.0.0.1:{stack.rasa_port}", transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": "sio-1"})

        async def send(text: str) -> List[Dict[str, Any]]:
            received.clear()
            await client.emit("user_uttered", {"message": text, "session_id": "sio-1", "customData": {"language": "uk"}})
            for _ in range(200):  # messages arrive one by one; wait until they stop
                count = len(received)
                await asyncio.sleep(0.6)
                if received and count == len(received):
                    return list(received)
            raise AssertionError(f"no answer to {text!r}")

        greeting = await send("/greet")
        assert greeting[0]["text"] == i18n.t("chat.greet", "uk")  # customData.language reached Rasa
        sent = await send("/start_application")
        for _ in range(15):
            buttons = next((m["quick_replies"] for m in reversed(sent) if m.get("quick_replies")), [])
            if any(b["payload"] == "/get_link" for b in buttons):
                break
            if any(b["payload"] == "/affirm" for b in buttons):
                sent = await send("/affirm")
                continue
            field = inform_field(buttons[0]["payload"]) if buttons else "permit_expires"
            chosen = [b for b in buttons if json.loads(b["payload"][len("/inform") :])[field] == ANSWERS[field]]
            sent = await send(chosen[0]["payload"] if chosen else str(ANSWERS[field]))
        # the recommendation's JSON arrives as `custom`, and the messages after it still arrive
        assert any(m.get("custom", {}).get("recommendation") for m in sent)
        handoff = await send("/get_link")
        link = next(m["custom"]["link"] for m in handoff if m.get("custom", {}).get("link"))
        assert any(m.get("attachment", {}).get("payload", {}).get("src") == link["qr_png"] for m in handoff)
        assert any(f"[{link['url']}]({link['url']})" in m.get("text", "") for m in handoff)
    finally:
        await client.disconnect()
