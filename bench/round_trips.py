"""Which action-server calls each turn of a form conversation makes (issue 9, "latency where it hides").

Starts the stack on free ports with the action server at DEBUG (rasa-sdk then logs
"Received request to run '<action>'" per call), drives one typed-and-button conversation from
"hello" to the recommendation, and prints, per turn, the actions the action server ran and the
turn's latency. Writes bench/round_trips.json. Run: `.venv/bin/python -m bench.round_trips`.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, List

from tools.stack import ROOT, Stack

#: the answer this applicant gives to each question (an Indian worker in Poland), typed or by button
ANSWERS = {
    "applicant": '/inform{"applicant": "self"}',
    "procedure": '/inform{"procedure": "temporary_residence"}',
    "citizenship": "India",
    "purpose": '/inform{"purpose": "work"}',
    "in_poland": "yes",
    "permit_expires": "31.12.2026",
    "minor": "no",
    "has_pesel": '/inform{"has_pesel": true}',
    "has_trusted_profile": '/inform{"has_trusted_profile": true}',
    "has_qualified_signature": '/inform{"has_qualified_signature": false}',
    "confirm_facts": "/affirm",
}
MAX_TURNS = 16
CALL = re.compile(r"Received request to run '([^']+)'")


def _post(url: str, body: Dict[str, Any]) -> Any:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def _asked(answer: List[Dict[str, Any]]) -> str:
    last = answer[-1] if answer else {}
    for button in last.get("buttons") or []:
        if button["payload"] == "/affirm":
            return "confirm_facts"
        if button["payload"].startswith("/inform"):
            return next(iter(json.loads(button["payload"][len("/inform") :])))
    return "permit_expires" if "legal stay" in (last.get("text") or "") else ""


def measure(stack: Stack, sender: str = "round-trips") -> List[Dict[str, Any]]:
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
    log = stack.run_dir / "actions.log"
    turns: List[Dict[str, Any]] = []
    message = "hello"
    while len(turns) < MAX_TURNS:
        offset = log.stat().st_size
        start = time.perf_counter()
        answer = _post(url, {"sender": sender, "message": message, "metadata": {"language": "en"}})
        elapsed = (time.perf_counter() - start) * 1000
        time.sleep(0.2)  # let the action server flush its log
        with log.open("rb") as handle:
            handle.seek(offset)
            calls = CALL.findall(handle.read().decode("utf-8", "replace"))
        turns.append({"message": message, "action_calls": calls, "latency_ms": round(elapsed, 1)})
        if any("recommendation" in (m.get("custom") or {}) for m in answer):
            break
        message = "/start_application" if len(turns) == 1 else ANSWERS.get(_asked(answer), "")
        if not message:
            break
    return turns


def main() -> None:
    import sys

    with tempfile.TemporaryDirectory() as run_dir:
        stack = Stack.on_free_ports(Path(run_dir))
        if len(sys.argv) > 1:  # another model, e.g. one trained into a temporary folder
            stack.model = Path(sys.argv[1]).resolve()
        stack.extra_actions_args = ["--debug"]
        stack.start()
        try:
            stack.wait_ready(300)
            turns = measure(stack)
        finally:
            stack.stop()
    form_turns = turns[1:]  # from "start" to the recommendation
    summary = {
        "turns": turns,
        "calls_per_form_turn": round(sum(len(t["action_calls"]) for t in form_turns) / len(form_turns), 2),
    }
    (ROOT / "bench" / "round_trips.json").write_text(json.dumps(summary, indent=2) + "\n")
    for t in turns:
        print(f"{t['latency_ms']:8.1f} ms  {len(t['action_calls'])} calls  {t['message'][:40]:40}  {t['action_calls']}")
    print("action-server calls per form turn:", summary["calls_per_form_turn"])


if __name__ == "__main__":
    main()
