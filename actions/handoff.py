"""action_handoff, "Get my checklist": the personal link and its QR code, channel by channel.

Every channel gets the plain URL in the text. REST and Socket.IO also get `custom.link`
{url, qr_png, qr_svg} (contract section 3) and the QR code as `image`; Telegram gets the QR
code as a photo and Messenger as an image attachment (their connectors turn `image` into those).
Messenger and Telegram get no `custom`: they would send it to the platform as a raw message.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from bot import links
from bot.routing import recommend

#: channels whose clients read `custom` (the widget ignores what it cannot show)
CUSTOM_CHANNELS = {"rest", "socketio", "rasa", "cmdline", None, ""}


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        situation = context.situation(tracker)
        today = context.today()
        open_questions = context.open_questions(tracker, recommend(situation, today, lang))
        if open_questions:
            # One rule in every language: the link comes with the answer. Until then the questions go
            # on where they were (never a restart); answers that could not be given are marked on it.
            during = bool(tracker.active_loop.get("name"))
            buttons = [] if during else [{"title": context.say("handoff.continue_button", lang), "payload": "/affirm"}]
            dispatcher.utter_message(text=context.say("handoff.not_ready", lang),
                                     buttons=buttons)
            return events
        link = links.link_for(situation, lang, today)
        channel = tracker.get_latest_input_channel()
        url = link["url"]
        # the widget renders Markdown: a bare URL would not be clickable there
        shown = f"[{url}]({url})" if channel == "socketio" else url
        text = context.say("handoff.text", lang, url=shown, days=links.ttl_days())
        if channel in CUSTOM_CHANNELS:
            dispatcher.utter_message(text=text, image=link["qr_png"], json_message={"link": link})
        else:
            dispatcher.utter_message(text=text, image=link["qr_png"])
        return events
