"""Loopback fakes of the Telegram Bot API and the Facebook Graph API that record what would be sent."""

from __future__ import annotations

import json
import threading
import urllib.parse
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional


def parse_body(content_type: str, body: bytes) -> Dict[str, Any]:
    """JSON, urlencoded or multipart form fields; a file field keeps its bytes."""
    if content_type.startswith("application/json"):
        return json.loads(body or b"{}")
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        fields: Dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            fields[name] = payload if part.get_filename() else payload.decode()
        return fields
    return {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()}


class Fake:
    """A recording HTTP server on 127.0.0.1 in a thread; subclasses answer per path."""

    def __init__(self) -> None:
        self.calls: List[Dict[str, Any]] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = fake.answer(self.path, parse_body(self.headers.get("Content-Type", ""), body))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def record(self, call: Dict[str, Any]) -> None:
        with self.lock:
            self.calls.append(call)

    def take(self) -> List[Dict[str, Any]]:
        with self.lock:
            taken, self.calls = self.calls, []
        return taken

    def answer(self, path: str, fields: Dict[str, Any]) -> tuple:
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()


class FakeTelegram(Fake):
    def __init__(self, token: str, username: str) -> None:
        self.token, self.username, self.revoked, self.next_id = token, username, False, 1
        super().__init__()

    def answer(self, path: str, fields: Dict[str, Any]) -> tuple:
        token, _, method = path.lstrip("/").partition("/")
        if token != f"bot{self.token}" or self.revoked:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        self.record({"method": method, **fields})
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 42, "is_bot": True, "first_name": "MOS", "username": self.username}}
        if method in ("sendMessage", "sendPhoto"):
            self.next_id += 1
            chat = int(fields.get("chat_id", 0))
            return 200, {
                "ok": True,
                "result": {
                    "message_id": self.next_id,
                    "date": 0,
                    "chat": {"id": chat, "type": "private"},
                    "text": fields.get("text", ""),
                },
            }
        return 200, {"ok": True, "result": True}


class FakeGraph(Fake):
    def answer(self, path: str, fields: Dict[str, Any]) -> tuple:
        self.record({"path": urllib.parse.urlparse(path).path, **fields})
        return 200, {"recipient_id": (fields.get("recipient") or {}).get("id"), "message_id": "mid.1"}

    def messages(self, calls: Optional[List[Dict[str, Any]]] = None) -> List[Dict[str, Any]]:
        """The messages (not typing indicators) among the calls."""
        return [c["message"] for c in (calls if calls is not None else self.calls) if "message" in c]
