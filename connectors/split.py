"""Splitting texts and button lists to a messaging platform's limits."""

from __future__ import annotations

from typing import List


def split_text(text: str, limit: int) -> List[str]:
    """Parts of at most `limit` characters, cut at paragraph, then line, then word ends."""
    text = text.strip()
    parts: List[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit))
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    parts.append(text)
    return [part for part in parts if part] or [""]


def shorten(title: str, limit: int) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
