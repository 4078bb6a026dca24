"""The REST channel at /webhooks/rest/webhook, with these changes to Rasa's own:

- one bot message stays one JSON object: its text, buttons, `custom` payload and image together
  (Rasa's collector splits them into separate objects);
- a turn that produced no message at all (the action server is down, an action crashed) gets an
  apology in the user's language instead of silence;
- a malformed request gets a 400 with the reason instead of an empty answer;
- a message longer than MAX_MESSAGE_CHARS gets a clear reply instead of reaching the model, and
  control characters and bidirectional overrides are removed before the model sees the text;
- the model answers one scripted turn before `GET /webhooks/rest/` says ready (the web service's
  /healthz asks it), so the first applicant does not pay for TensorFlow's first call.
"""

from __future__ import annotations

import logging
import os
import time
import unicodedata
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, List, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request

from bot import i18n
from bot.routing import text_constants
from connectors.tracker_store import begin_turn

logger = logging.getLogger(__name__)

#: longer messages get `limits.message_too_long`; nobody types an answer this long, and the
#: model's cost grows with the length
MAX_MESSAGE_CHARS = int(os.environ.get("MAX_MESSAGE_CHARS", 2000))
#: Unicode "format" characters that reorder or hide text (RLO, LRI, zero-width ...)
_BIDI_AND_INVISIBLE = {
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
}
WARM_UP_TEXT = "hello"
_ready = {"warm": False}


def clean_text(text: str) -> str:
    """The text without control characters and direction overrides (kept: newlines and tabs)."""
    kept = []
    for char in text:
        if char in "\n\t":
            kept.append(char)
        elif char in _BIDI_AND_INVISIBLE or unicodedata.category(char) in ("Cc", "Cs", "Co"):
            continue
        else:
            kept.append(char)
    return "".join(kept).strip()


async def warm_up(agent: Any) -> float:
    """One parse and one prediction on a throw-away tracker (nothing is stored); returns its ms."""
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    start = time.perf_counter()
    processor = agent.processor
    parsed = await processor.parse_message(UserMessage(WARM_UP_TEXT, sender_id="warm-up"))
    tracker = DialogueStateTracker.from_events(
        "warm-up",
        [
            ActionExecuted("action_listen"),
            UserUttered(WARM_UP_TEXT, parsed.get("intent"), parsed.get("entities"), parse_data=parsed),
        ],
        slots=agent.domain.slots,
    )
    processor.predict_next_with_tracker(tracker)
    return (time.perf_counter() - start) * 1000


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

        @webhook.listener("after_server_start")
        async def warm(app: Any, _: Any) -> None:
            agent = getattr(app.ctx, "agent", None)
            try:
                if agent is not None and agent.is_ready():
                    logger.info("Warm-up turn took %.0f ms", await warm_up(agent))
            except Exception:  # noqa: BLE001 - a failed warm-up costs latency, not service
                logger.exception("Warm-up turn failed")
            _ready["warm"] = True

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> Any:
            if not _ready["warm"]:
                return response.json({"status": "warming up"}, status=503)
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Any:
            try:
                body = request.json if isinstance(request.json, dict) else None
            except Exception:  # noqa: BLE001 - Sanic raises its own 400 without our reason
                body = None
            refused = _refusal(body)
            if refused is not None:
                return refused
            metadata = body.get("metadata") or {}
            text = clean_text(body["message"])
            collector = WholeMessageCollector()
            turn = begin_turn()
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        str(body["sender"]),
                        input_channel=self.name(),
                        metadata=metadata,
                    )
                )
            except CancelledError:
                logger.error("REST message timed out")
            except Exception:  # noqa: BLE001 - the user must get an answer whatever failed
                logger.exception("REST message failed")
            messages: List[Dict[Text, Any]] = collector.messages
            if not turn["stored"]:  # the database failed: this turn is not kept, so it is not answered
                messages = []
            if not messages:
                messages = [{"recipient_id": str(body["sender"]), **apology(metadata.get("language"))}]
            return response.json(messages)

        return webhook


def _refusal(body: Any) -> Any:
    """The answer to a message that is not taken: 400 for a bad request, a short reply to an overlong one."""
    problems = _problems(body)
    if problems:
        return response.json({"error": "invalid request", "fields": problems}, status=400)
    metadata = body.get("metadata") or {}
    text = clean_text(body["message"])
    if not text:
        return response.json(
            {
                "error": "invalid request",
                "fields": [{"field": "message", "reason": "empty after removing control characters"}],
            },
            status=400,
        )
    if len(text) > MAX_MESSAGE_CHARS:
        return response.json(
            [
                {
                    "recipient_id": str(body["sender"]),
                    "text": i18n.t(
                        "limits.message_too_long",
                        i18n.normalise_language(metadata.get("language")),
                        max_chars=MAX_MESSAGE_CHARS,
                    ),
                }
            ]
        )
    return None


def _problems(body: Any) -> List[Dict[Text, Text]]:
    if body is None:
        return [{"field": "body", "reason": "must be a JSON object"}]
    problems = []
    if not isinstance(body.get("sender"), (str, int)) or str(body.get("sender")).strip() == "":
        problems.append({"field": "sender", "reason": "required, a non-empty string"})
    elif len(str(body.get("sender"))) > 128:
        problems.append({"field": "sender", "reason": "at most 128 characters"})
    if not isinstance(body.get("message"), str):
        problems.append({"field": "message", "reason": "required, a string"})
    if body.get("metadata") is not None and not isinstance(body.get("metadata"), dict):
        problems.append({"field": "metadata", "reason": "must be an object"})
    return problems
