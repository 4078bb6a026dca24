"""Facebook Messenger, built on Rasa's own FacebookInput/MessengerBot (fbmessenger), changed so that:

- the Graph API's address is configurable (FB_API_URL; tests point it at a fake on loopback);
- a POST whose X-Hub-Signature-256 / X-Hub-Signature does not match FB_SECRET gets 403 (Rasa
  answers 200 "not validated"), compared in constant time, sha256 or sha1 only; a wrong
  verify token on the subscription handshake gets 403;
- buttons become quick replies (Messenger allows 13, titles of 20 characters): a longer list is
  paged with a "▶" quick reply that the connector itself answers with the next page;
- texts longer than 2000 characters are split; the QR code is an image attachment;
- `custom` payloads for the other channels (the recommendation's JSON) are not sent to Facebook.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from fbmessenger import MessengerClient
from fbmessenger.elements import Text as FBText
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request

from connectors.split import shorten, split_text

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://graph.facebook.com"
MAX_TEXT = 2000
MAX_QUICK_REPLIES = 13
MAX_TITLE = 20
MORE = "/__more__"  # a page of buttons the connector answers itself; never reaches Rasa
DIGESTS = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}


def client(page_access_token: Text, api_url: Text) -> MessengerClient:
    messenger = MessengerClient(page_access_token)
    messenger.graph_url = f"{api_url.rstrip('/')}/v{messenger.api_version}"
    return messenger


def pages(buttons: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """The first page of quick replies; the rest travel in the "more" reply's payload."""
    if len(buttons) <= MAX_QUICK_REPLIES:
        page, rest = buttons, []
    else:
        page, rest = buttons[: MAX_QUICK_REPLIES - 1], buttons[MAX_QUICK_REPLIES - 1 :]
    replies = [{"content_type": "text", "title": shorten(b["title"], MAX_TITLE), "payload": b["payload"]} for b in page]
    if rest:
        shown = len(page)
        replies.append(
            {
                "content_type": "text",
                "title": f"▶ {shown + 1}-{shown + len(rest)}",
                "payload": MORE + json.dumps([[b["title"], b["payload"]] for b in rest], ensure_ascii=False),
            }
        )
    return replies


class PagedMessengerBot(MessengerBot):
    def __init__(self, messenger_client: MessengerClient) -> None:
        super().__init__(messenger_client)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in split_text(text, MAX_TEXT):
            self.send(recipient_id, FBText(text=part))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        *first, last = split_text(text, MAX_TEXT)
        for part in first:
            self.send(recipient_id, FBText(text=part))
        self.messenger_client.send({"text": last, "quick_replies": pages(buttons)}, recipient_id, "RESPONSE")

    async def send_custom_json(self, recipient_id: Text, json_message: Any, **kwargs: Any) -> None:
        # `custom` meant for REST and the widget (recommendation, link) is no Messenger message
        if isinstance(json_message, dict) and ({"text", "attachment"} & set(json_message)):
            await super().send_custom_json(recipient_id, json_message, **kwargs)

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)


class PagedMessenger(Messenger):
    def __init__(
        self, page_access_token: Text, api_url: Text, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        super().__init__(page_access_token, on_new_message)
        self.client = client(page_access_token, api_url)

    async def _handle_user_message(self, text: Text, sender_id: Text, metadata: Optional[Dict[Text, Any]]) -> None:
        out = PagedMessengerBot(self.client)
        if text.startswith(MORE):
            try:
                rest = [{"title": title, "payload": payload} for title, payload in json.loads(text[len(MORE) :])]
            except (ValueError, TypeError):
                return
            await out.send_text_with_buttons(sender_id, "▶", rest)
            return
        await out.send_action(sender_id, sender_action="mark_seen")
        await out.send_action(sender_id, sender_action="typing_on")
        try:
            await self.on_new_message(UserMessage(text, out, sender_id, input_channel=self.name(), metadata=metadata))
        except Exception:  # noqa: BLE001 - Facebook would retry the delivery
            logger.exception("Messenger message failed")
        finally:
            await out.send_action(sender_id, sender_action="typing_off")


class MessengerInput(FacebookInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "MessengerInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("verify"),
            credentials.get("secret"),
            credentials.get("page-access-token"),
            api_url=credentials.get("api_url") or os.environ.get("FB_API_URL") or DEFAULT_API_URL,
        )

    def __init__(self, fb_verify: Text, fb_secret: Text, fb_access_token: Text, api_url: Text = DEFAULT_API_URL) -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.api_url = api_url

    def get_output_channel(self) -> PagedMessengerBot:
        return PagedMessengerBot(client(self.fb_access_token, self.api_url))

    @staticmethod
    def signed(secret: Text, body: bytes, headers: Any) -> bool:
        for header in ("X-Hub-Signature-256", "X-Hub-Signature"):
            value = headers.get(header) or ""
            method, _, signature = value.partition("=")
            if method in DIGESTS and signature:
                expected = hmac.new(secret.encode(), body, DIGESTS[method]).hexdigest()
                return hmac.compare_digest(expected, signature)
        return False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("fb_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> Any:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> Any:
            if hmac.compare_digest(request.args.get("hub.verify_token") or "", self.fb_verify or ""):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("Messenger verify token does not match FB_VERIFY")
            return response.text("wrong verify token", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Any:
            if not self.signed(self.fb_secret or "", request.body, request.headers):
                logger.warning("Messenger request with a wrong signature refused (check FB_SECRET)")
                return response.text("wrong signature", status=403)
            body = request.json
            if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
                return response.text("not a Messenger webhook event", status=400)
            messenger = PagedMessenger(self.fb_access_token, self.api_url, on_new_message)
            await messenger.handle(body, self.get_metadata(request))
            return response.text("success")

        return webhook
