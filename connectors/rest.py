"""The REST channel at /webhooks/rest/webhook, with three changes to Rasa's own:

- one bot message stays one JSON object: its text, buttons, `custom` payload and image together
  (Rasa's collector splits them into separate objects);
- a turn that produced no message at all (the action server is down, an action crashed) gets an
  apology in the user's language instead of silence;
- a malformed request gets a 400 with the reason instead of an empty answer.
"""
from __future__ import annotations

import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, List, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request

from bot import i18n
from bot.routing import text_constants

logger = logging.getLogger(__name__)


class WholeMessageCollector(CollectingOutputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        payload: Dict[Text, Any] = {"recipient_id": recipient_id}
        for key in ("text", "buttons", "quick_replies", "custom", "image", "attachment", "elements"):
            if message.get(key) is not None:
                payload[key] = message[key]
        if "quick_replies" in payload and "buttons" not in payload:
            payload["buttons"] = payload.pop("quick_replies")
        await self._persist_message(payload)


def apology(language: Any) -> Dict[Text, Any]:
    return {"text": i18n.t("chat.action_server_down", i18n.normalise_language(language), **text_constants())}


class RestInput(RasaRestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("custom_webhook_RestInput", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> Any:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Any:
            body = request.json if isinstance(request.json, dict) else None
            problems = _problems(body)
            if problems:
                return response.json({"error": "invalid request", "fields": problems}, status=400)
            metadata = body.get("metadata") or {}
            collector = WholeMessageCollector()
            try:
                await on_new_message(UserMessage(
                    body["message"], collector, str(body["sender"]),
                    input_channel=self.name(), metadata=metadata,
                ))
            except CancelledError:
                logger.error("REST message timed out")
            except Exception:  # noqa: BLE001 - the user must get an answer whatever failed
                logger.exception("REST message failed")
            messages: List[Dict[Text, Any]] = collector.messages
            if not messages:
                messages = [{"recipient_id": str(body["sender"]), **apology(metadata.get("language"))}]
            return response.json(messages)

        return webhook


def _problems(body: Any) -> List[Dict[Text, Text]]:
    if body is None:
        return [{"field": "body", "reason": "must be a JSON object"}]
    problems = []
    if not isinstance(body.get("sender"), (str, int)) or str(body.get("sender")).strip() == "":
        problems.append({"field": "sender", "reason": "required, a non-empty string"})
    if not isinstance(body.get("message"), str):
        problems.append({"field": "message", "reason": "required, a string"})
    if body.get("metadata") is not None and not isinstance(body.get("metadata"), dict):
        problems.append({"field": "metadata", "reason": "must be an object"})
    return problems
