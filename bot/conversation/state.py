"""What the conversation remembers between messages, and what one message brings: plain data, no Rasa.

`State` is what the slots hold (the answers, who it is for, the language, the question asked, the
bookkeeping in `memo`) plus two facts of the dialogue so far; `Message` is the typed text or button
payload and what the NLU said about it. The adapters in actions/ translate both from the tracker.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Optional

from bot.routing import SITUATION_FIELDS

#: Who the application is for; questions are worded for that person. Not a Situation field.
APPLICANT = "applicant"
#: The pseudo-question "So: ... Right?" that confirms facts read from free text.
CONFIRM = "confirm_facts"
#: The slot that keeps `memo`: how often each question was asked, facts awaiting confirmation,
#: questions the person could not answer (asked without them), answers they wanted to change.
STATE = "conversation_state"
SUBJECTS = ("self", "child", "wife", "husband", "parent", "relative", "employee")
#: The answers: the Situation's fields and who it is for.
ANSWER_FIELDS = list(SITUATION_FIELDS) + [APPLICANT]
#: How often a question may be asked; an answer still missing then is left out.
MAX_ASKS = 2


def new_memo(saved: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    saved = saved or {}
    return {
        "asked": dict(saved.get("asked") or {}),
        "pending": dict(saved.get("pending") or {}),
        "unsure": list(saved.get("unsure") or []),
        "unknown": list(saved.get("unknown") or []),
        "back_from": dict(saved.get("back_from") or {}),
        "which": bool(saved.get("which")),
        "shown": saved.get("shown"),
        "kept": saved.get("kept"),
        "read_latest": bool(saved.get("read_latest")),
    }


@dataclass
class State:
    """The conversation between two messages."""

    answers: Dict[str, Any] = field(default_factory=dict)  # ANSWER_FIELDS -> value or None
    language: Optional[str] = None
    requested: Optional[str] = None  # the question waiting for its answer
    memo: Dict[str, Any] = field(default_factory=new_memo)
    asking: bool = False  # the questions are under way (the form is active)
    after_outcome: bool = False  # what last ended the questions was the outcome (not a stop)
    recent: List[str] = field(default_factory=list)  # answer fields, the most recently set first
    cleared: bool = False  # this turn forgot every answer (start over, forget me)
    stopped: bool = False  # this turn ended the questions

    def __post_init__(self) -> None:
        self.answers = {name: self.answers.get(name) for name in ANSWER_FIELDS}
        self.memo = new_memo(self.memo)

    def copy(self) -> "State":
        return replace(self, answers=dict(self.answers), memo=new_memo(self.memo), recent=list(self.recent))

    def situation_values(self) -> Dict[str, Any]:
        return {name: self.answers.get(name) for name in SITUATION_FIELDS}


@dataclass
class Message:
    """One message: typed text or a button payload, and what the NLU made of it.

    `step` is what the dialogue rules chose to do with it (the questions, a side answer, back, ...).
    `slots_set` are the answers the NLU (or a button's payload) filled from this message, and
    `slots_before` what those held before it; `answered` says another step answered it already.
    """

    text: str = ""
    intent: Optional[str] = None
    ranking: List[Dict[str, Any]] = field(default_factory=list)
    entities: List[Dict[str, Any]] = field(default_factory=list)
    language: Optional[str] = None  # the channel's metadata.language
    previous_language: Optional[str] = None  # the same for the message before
    step: str = "form"
    slots_set: Dict[str, Any] = field(default_factory=dict)
    slots_before: Dict[str, Any] = field(default_factory=dict)
    answered: bool = False
    channel: Optional[str] = None

    @property
    def payload(self) -> bool:
        return self.text.startswith("/")

    def entity(self, name: str) -> Any:
        return next((e.get("value") for e in self.entities if e.get("entity") == name), None)
