"""Walks one path through the in-process assistant and says what went wrong on it, step by step.

For every step: no action exception and no apology; an answer at all; the reply in the
conversation's language; no question asked a third time; no known answer lost; a link request
never ends in a restart. At the end of the path: the first button of every question leads to a
recommendation.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional

from bot import i18n
from bot import language as languages
from bot.routing import SITUATION_FIELDS
from bot.routing.engine import text_constants

import answers
from walk.paths import CONFIRM, Path_, Step, first_buttons

RESTART_PAYLOADS = ("/start_application", "/start_over", "/restart")
#: kinds that may change or clear an answer (the rest must keep every known answer as it was)
CHANGES_ANSWERS = {"button", "typed", "typo", "no_diacritics", "back", "start", "continue", "prefix"}
#: kinds after which the question comes again without counting (a side answer, a why, a language)
NOT_COUNTED = {"why", "side", "language", "link", "back", "start"}
CONTINUE_LIMIT = 24
URL = re.compile(r"https?://\S+|\S+@\S+|\b\S+\.(gov|pl|com|eu)\S*")


def apology_texts() -> List[str]:
    return [i18n.t("chat.action_server_down", lang, **text_constants())[:40] for lang in i18n.SUPPORTED_LANGUAGES]


def texts(answer: List[Dict[str, Any]]) -> List[str]:
    return [m.get("text") or "" for m in answer]


def written_in(text: str, expected: str) -> Optional[str]:
    """The language a reply is written in, when it says enough (URLs, Polish legal names left out)."""
    cleaned = URL.sub(" ", text)
    cleaned = languages._strip_loanwords(cleaned)
    if len(re.findall(r"\w+", cleaned)) < 6:
        return None
    return languages.detect(cleaned, current=expected)


class Walk:
    def __init__(self, assistant, path: Path_, sender: str, today) -> None:
        self.assistant, self.path, self.sender, self.today = assistant, path, sender, today
        self.language = path.language
        self.failures: List[str] = []
        self.asks: Dict[str, int] = {}
        self.outcome = False
        self.turns = 0

    def fail(self, step: Step, what: str) -> None:
        self.failures.append(f"{self.path.name} at {step.kind} {step.text[:40]!r}: {what}")

    def run(self) -> List[str]:
        for step in self.path.steps:
            self.step(step)
        self.continue_to_outcome()
        return self.failures

    def step(self, step: Step) -> List[Dict[str, Any]]:
        errors_before = len(self.assistant.errors)
        before = self.assistant.slots(self.sender)
        answer = self.assistant.say(self.sender, step.text, self.language if step.kind == "prefix" else None)
        self.turns += 1
        after = self.assistant.slots(self.sender)
        if len(self.assistant.errors) > errors_before:
            self.fail(step, "action exception: " + self.assistant.errors[-1].splitlines()[-1])
        if not answer:
            self.fail(step, "no answer at all")
            return answer
        shown = texts(answer)
        if any(a in t for t in shown for a in apology_texts()):
            self.fail(step, "apology text")
        if step.switches_to:
            self.language = step.switches_to
        self.language = after.get("language") or self.language
        self.check_language(step, shown)
        self.check_answers_kept(step, before, after)
        if step.kind == "link":
            self.check_link(step, answer, before, after)
        self.count(step, answer)
        return answer

    def check_language(self, step: Step, shown: List[str]) -> None:
        for text in shown:
            found = written_in(text, self.language)
            if found and found != self.language:
                self.fail(step, f"reply in {found}, conversation in {self.language}: {text[:70]!r}")
                return

    def check_answers_kept(self, step: Step, before: Dict[str, Any], after: Dict[str, Any]) -> None:
        if step.kind in CHANGES_ANSWERS or (step.kind == "dont_know" and self.outcome):
            return
        lost = [f for f in SITUATION_FIELDS + ["applicant"] if before.get(f) is not None and after.get(f) != before[f]]
        if lost:
            self.fail(step, f"answers lost or changed: {lost}")

    def check_link(self, step: Step, answer: List[Dict[str, Any]], before, after) -> None:
        payloads = [b.get("payload", "") for m in answer for b in (m.get("buttons") or [])]
        if any(p.startswith(RESTART_PAYLOADS) for p in payloads):
            self.fail(step, f"a link request offers a restart: {payloads}")
        if self.outcome and not any("link" in (m.get("custom") or {}) for m in answer):
            self.fail(step, "no link after the recommendation")

    def count(self, step: Step, answer: List[Dict[str, Any]]) -> None:
        if answers.outcome(answer) is not None:
            self.outcome = True
            self.asks = {}
            return
        if step.kind in ("back", "start"):
            self.asks = {}
        if step.kind in NOT_COUNTED:
            return
        asked = answers.asked(answer)
        if asked in SITUATION_FIELDS or asked in (CONFIRM, "applicant"):
            self.asks[asked] = self.asks.get(asked, 0) + 1
            if self.asks[asked] > 2:
                self.fail(step, f"{asked} asked a third time")

    def continue_to_outcome(self) -> None:
        """The first button of whatever is asked, until the recommendation."""
        if self.outcome:
            return
        for _ in range(CONTINUE_LIMIT):
            tracker_slots = self.assistant.slots(self.sender)
            asked = tracker_slots.get("requested_slot")
            answer_text = self._first_payload(asked, tracker_slots)
            answer = self.step(Step(answer_text, "continue"))
            if self.outcome or answers.outcome(answer) is not None:
                return
        self.fail(Step("", "continue"), f"no recommendation after {CONTINUE_LIMIT} more answers")

    def _first_payload(self, asked: Optional[str], slots: Dict[str, Any]) -> str:
        from bot.routing import Situation

        if asked is None:
            return "/start_application"
        situation = Situation(**{k: v for k, v in slots.items() if k in SITUATION_FIELDS and v is not None})
        return first_buttons(asked, self.language, self.today, situation)[0]["payload"]


def as_json(failures: List[str]) -> str:
    return json.dumps(failures, ensure_ascii=False, indent=1)
