"""What a turn gives back: plain dataclasses the adapters turn into channel messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


@dataclass
class Say:
    """A text with its buttons ({"title", "payload"})."""

    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)


@dataclass
class Outcome:
    """The recommendation: its text and the Recommendation as data (custom.recommendation)."""

    text: str
    recommendation: Dict[str, Any]


@dataclass
class Link:
    """The personal checklist link: the text with the URL, its QR code, and the link as data (custom.link)."""

    text: str
    qr_png: str
    link: Optional[Dict[str, Any]] = None


@dataclass
class Pass:
    """The questions leave this message to the rules (a side question, a command): nothing is changed."""


@dataclass
class ToQuestions:
    """The questions take this message next (it states facts of a situation)."""
