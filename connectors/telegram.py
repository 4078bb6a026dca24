"""Telegram, built on Rasa's own TelegramInput/TelegramOutput (aiogram 2), with these changes:

- the Bot API's address is configurable (TELEGRAM_API_URL; tests point it at a fake on loopback);
- every update must carry Telegram's secret header (X-Telegram-Bot-Api-Secret-Token), which we
  register with setWebhook; the bot's identity (getMe, with TELEGRAM_TOKEN) must match
  TELEGRAM_VERIFY; anything else gets 403 and reaches no conversation;
- the webhook is registered once the server runs (Rasa does it at import time and stops the
  whole server on any error); a failure is logged and the channel refuses updates;
- `/start` greets; the user's `language_code` becomes metadata.language;
- buttons are an inline keyboard, one per row; texts longer than 4096 characters are split;
- the QR code is uploaded as a photo (Telegram cannot fetch a localhost address).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple
from urllib.parse import urlparse

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from sanic import Blueprint, response
from sanic.request import Request

from bot import i18n, links
from connectors.split import split_text

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
MAX_TEXT = 4096  # Bot API: sendMessage text
MAX_CALLBACK_DATA = 64  # Bot API: InlineKeyboardButton.callback_data, in bytes
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def secret_for(token: str) -> str:
    """The webhook secret: TELEGRAM_SECRET, else derived from the bot token (A-Z, a-z, 0-9 only)."""
    configured = os.environ.get("TELEGRAM_SECRET", "").strip()
    if configured:
        return configured
    return hmac.new(token.encode(), b"mos-assistant telegram webhook", hashlib.sha256).hexdigest()


class TelegramOutput(RasaTelegramOutput):
    def __init__(self, access_token: Optional[Text], api_url: Text = DEFAULT_API_URL) -> None:
        Bot.__init__(self, access_token, server=TelegramAPIServer.from_base(api_url))

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in split_text(text, MAX_TEXT):
            await self.send_message(recipient_id, part)

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        button_type: Optional[Text] = "vertical",
        **kwargs: Any,
    ) -> None:
        *first, last = split_text(text, MAX_TEXT)
        for part in first:
            await self.send_message(recipient_id, part)
        markup = InlineKeyboardMarkup()
        for button in buttons:
            if len(button["payload"].encode()) > MAX_CALLBACK_DATA:
                logger.error("button payload longer than Telegram allows, left out: %s", button["payload"][:20])
                continue
            markup.row(InlineKeyboardButton(button["title"], callback_data=button["payload"]))
        await self.send_message(recipient_id, last, reply_markup=markup)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        path = urlparse(image).path
        if path.startswith("/l/") and path.endswith(".png"):
            page = image[: -len(".png")]
            await self.send_photo(recipient_id, InputFile(io.BytesIO(links.qr_png(page)), filename="checklist.png"))
        else:
            await self.send_photo(recipient_id, image)


class TelegramInput(RasaTelegramInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            api_url=credentials.get("api_url") or os.environ.get("TELEGRAM_API_URL") or DEFAULT_API_URL,
        )

    def __init__(
        self,
        access_token: Optional[Text],
        verify: Optional[Text],
        webhook_url: Optional[Text],
        debug_mode: bool = False,
        api_url: Text = DEFAULT_API_URL,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.api_url = api_url
        self.secret = secret_for(access_token or "")

    def get_output_channel(self) -> TelegramOutput:
        return TelegramOutput(self.access_token, self.api_url)

    async def _genuine(self, request: Request, out: TelegramOutput) -> Optional[str]:
        """Why the update is refused, or None when it comes from Telegram for our bot."""
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), self.secret):
            return "wrong secret token"
        try:
            me = await out.get_me()
        except TelegramAPIError as error:
            logger.error("Telegram refused the bot token (check TELEGRAM_TOKEN): %s", error)
            return "bot token not accepted by Telegram"
        if me.username != self.verify:
            logger.error("TELEGRAM_VERIFY does not match the bot's username")
            return "bot identity does not match"
        return None

    @staticmethod
    async def _incoming(update: Update, out: Any) -> Optional[Tuple[Any, str, Any]]:
        """The message, its text and its sender: a button pressed or a text typed; None for anything else."""
        if update.callback_query:
            query = update.callback_query
            try:
                await out.answer_callback_query(query.id)
            except TelegramAPIError:
                pass  # only stops the button's spinner
            return query.message, query.data, query.from_user
        if update.message and update.message.text is not None:
            return update.message, update.message.text, update.message.from_user
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("telegram_webhook", __name__)
        out = self.get_output_channel()

        async def register() -> bool:
            if not self.webhook_url:
                return False
            try:
                # aiogram 2.15 predates setWebhook's secret_token (Bot API 6.1): call the method directly
                return bool(await out.request("setWebhook", {"url": self.webhook_url, "secret_token": self.secret}))
            except TelegramAPIError as error:
                logger.error("Telegram setWebhook failed (check TELEGRAM_TOKEN): %s", error)
                return False

        @webhook.listener("after_server_start")
        async def set_webhook_on_start(*_: Any) -> None:
            if await register():
                logger.info("Telegram webhook registered")

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> Any:
            return response.json({"status": "ok"})

        @webhook.route("/set_webhook", methods=["POST"])
        async def set_webhook(_: Request) -> Any:
            ok = await register()
            return response.json({"ok": ok}, status=200 if ok else 502)

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> Any:
            refused = await self._genuine(request, out)
            if refused:
                return response.json({"ok": False, "reason": refused}, status=403)
            if not isinstance(request.json, dict):
                return response.json({"ok": False, "reason": "body must be a Telegram Update"}, status=400)
            incoming = await self._incoming(Update(**request.json), out)
            if incoming is None:
                return response.json({"ok": True})  # edits, stickers, locations: nothing to answer
            msg, text, person = incoming
            if text.split("@")[0].strip() == "/start":
                text = "/greet"
            metadata = dict(self.get_metadata(request) or {})
            code = ((person.language_code if person else None) or "")[:2].lower()
            if code in i18n.SUPPORTED_LANGUAGES:
                metadata["language"] = code
            try:
                await on_new_message(UserMessage(text, out, str(msg.chat.id), input_channel=self.name(), metadata=metadata))
            except Exception:  # noqa: BLE001 - Telegram would retry the update forever
                logger.exception("Telegram update failed")
            return response.json({"ok": True})

        return webhook
