"""action_handoff ("Get my checklist") on each channel, with tracker fixtures; and its button."""

from typing import Any, Dict, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff
from actions.recommend import ActionRecommend
from bot import i18n, links
from bot.routing import SITUATION_FIELDS

WORKER = {
    "procedure": "temporary_residence",
    "citizenship": "IN",
    "purpose": "work",
    "in_poland": True,
    "permit_expires": "2026-12-31",
    "minor": False,
    "has_pesel": True,
    "has_trusted_profile": True,
}


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("LINK_SECRET", "handoff-secret")
    monkeypatch.setenv("PUBLIC_URL", "https://assistant.example.org")


def tracker(slots: Dict[str, Any], channel: Optional[str], language: str = "en") -> Tracker:
    values = {name: slots.get(name) for name in SITUATION_FIELDS}
    values["language"] = language
    message = {"text": "/get_link", "intent": {"name": "get_link", "confidence": 1.0}, "entities": [], "metadata": {}}
    events = [{"event": "user", "text": "/get_link", "parse_data": message, "input_channel": channel}]
    return Tracker("t", values, message, events, False, None, {}, "action_listen")


async def handoff(slots: Dict[str, Any], channel: Optional[str], language: str = "en") -> list:
    dispatcher = CollectingDispatcher()
    await ActionHandoff().run(dispatcher, tracker(slots, channel, language), {})
    return dispatcher.messages


@pytest.mark.parametrize("channel", ["rest", "socketio"])
async def test_rest_and_widget_get_custom_link_and_the_qr_image(channel, today):
    [message] = await handoff(WORKER, channel, "pl")
    link = message["custom"]["link"]
    assert set(link) == {"url", "qr_png", "qr_svg"} and message["image"] == link["qr_png"]
    data = links.read_token(link["url"].rsplit("/", 1)[1])
    assert data.language == "pl" and data.today == today and data.situation.dict(exclude_none=True)["citizenship"] == "IN"
    if channel == "socketio":  # the widget renders Markdown
        assert f"[{link['url']}]({link['url']})" in message["text"]
    else:
        assert link["url"] in message["text"] and "](" not in message["text"]


@pytest.mark.parametrize("channel", ["telegram", "facebook"])
async def test_telegram_and_messenger_get_the_image_and_the_plain_url_but_no_custom_json(channel):
    [message] = await handoff(WORKER, channel)
    assert message["image"].startswith("https://assistant.example.org/l/") and message["image"].endswith(".png")
    assert message["image"][: -len(".png")] in message["text"]
    assert not message.get("custom")


async def test_no_link_before_the_answers_decide_everything():
    [message] = await handoff({"procedure": "temporary_residence"}, "rest")
    assert message["text"] == i18n.t("handoff.not_ready", "en") and not message.get("custom")
    # the way on continues the questions; "start" after an outcome would erase the answers (issue 12)
    assert [b["payload"] for b in message["buttons"]] == ["/affirm"]


async def test_the_recommendation_offers_the_checklist_button():
    dispatcher = CollectingDispatcher()
    await ActionRecommend().run(dispatcher, tracker(WORKER, "rest", "uk"), {})
    assert dispatcher.messages[-1]["buttons"] == [{"title": i18n.t("handoff.button", "uk"), "payload": "/get_link"}]
