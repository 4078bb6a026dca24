"""The whole assistant in one process: the trained Rasa model and the real actions, no HTTP.

Rasa's RemoteAction posts the same JSON it would send to the action server; here that call goes to
rasa-sdk's own ActionExecutor in the same event loop, so every rule, the form and every action run
exactly as in `make run`, thousands of turns a minute. Exceptions raised by an action are recorded
(the action server would log them and the user would get an apology) and the turn goes on as
Rasa's processor lets it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import traceback
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
#: WALK_MODEL lets a developer walk a model trained elsewhere; tests use the shipped one
MODEL = Path(os.environ.get("WALK_MODEL", ROOT / "models" / "current.tar.gz"))


class Assistant:
    def __init__(self, model: Path = MODEL) -> None:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        os.environ["LOG_LEVEL"] = "ERROR"
        from rasa.utils.common import configure_logging_and_warnings

        configure_logging_and_warnings(logging.ERROR)
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.ERROR)
        from rasa.core.agent import Agent
        from rasa.utils.endpoints import ClientResponseError, EndpointConfig
        from rasa_sdk.executor import ActionExecutor
        from rasa_sdk.interfaces import ActionExecutionRejection

        executor = ActionExecutor()
        executor.register_package("actions")
        self.errors: List[str] = []
        errors = self.errors

        class InProcess(EndpointConfig):
            async def request(
                self,
                method: str = "post",
                subpath: Optional[str] = None,
                content_type: Optional[str] = "application/json",
                compress: bool = False,
                **kwargs: Any,
            ) -> Any:
                call = kwargs["json"]
                try:
                    return await executor.run(call)
                except ActionExecutionRejection as rejection:
                    # what rasa-sdk's endpoint answers: 400 with the action's name (a form rejecting)
                    import json

                    body = json.dumps({"action_name": rejection.action_name, "error": rejection.message})
                    raise ClientResponseError(400, "rejected", body)
                except Exception:  # noqa: BLE001 - every action exception is a finding
                    errors.append(f"{call.get('next_action')}: {traceback.format_exc(limit=6)}")
                    raise

        self.loop = asyncio.new_event_loop()
        self.agent = Agent.load(str(model), action_endpoint=InProcess(url="http://in-process/webhook"))

    def say(self, sender: str, text: str, language: Optional[str] = None) -> List[Dict[str, Any]]:
        """The bot's messages for one user message, as Rasa's REST channel collects them."""
        from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

        channel = CollectingOutputChannel()
        metadata = {"language": language} if language else None
        message = UserMessage(text, channel, sender, input_channel="rest", metadata=metadata)
        self.loop.run_until_complete(self.agent.handle_message(message))
        return channel.messages

    def slots(self, sender: str) -> Dict[str, Any]:
        tracker = self.loop.run_until_complete(self.agent.tracker_store.retrieve(sender))
        return dict(tracker.current_slot_values()) if tracker else {}

    def close(self) -> None:
        self.loop.close()
