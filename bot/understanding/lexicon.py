"""Phrase lists from the vocabulary files, compiled for matching against a message's tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Sequence, Tuple

from bot.understanding.latin import stem_skeleton
from bot.understanding.text import Token, fold

_SPLIT = re.compile(r"[\s\-/,.!;:()\"]+")


def compile_phrase(phrase: str) -> Tuple[str, ...]:
    """ "карт* побиту" -> ("карт*", "побиту") folded; "*" keeps its meaning (any ending)."""
    words: List[str] = []
    for word in _SPLIT.split(str(phrase)):
        star = word.endswith("*")
        folded = fold(word.rstrip("*")).replace(" ", "")
        if folded or word == "?":
            words.append((folded or "?") + ("*" if star else ""))
    return tuple(words)


@dataclass(frozen=True)
class Match:
    label: Tuple[str, ...]
    start: int  # token index
    end: int  # exclusive

    @property
    def length(self) -> int:
        return self.end - self.start


def token_matches(pattern: str, token: Token) -> bool:
    if pattern == "?":
        return True
    if pattern.endswith("*"):
        stem = pattern[:-1]
        if token.surf.startswith(stem) or token.lemma.startswith(stem):
            return True
        key = stem_skeleton(stem) if token.skels else ""
        return bool(key) and any(s.startswith(key) for s in token.skels)
    return pattern == token.surf or pattern == token.lemma or pattern == token.fuzzy or pattern in token.alts


class Lexicon:
    """Labelled phrases; `find` returns every occurrence in a token list."""

    def __init__(self) -> None:
        self._by_first: Dict[str, List[Tuple[Tuple[str, ...], Tuple[str, ...]]]] = {}
        # patterns starting with a stem ("карт*"), indexed by the stem's first two letters
        self._wild: Dict[str, List[Tuple[Tuple[str, ...], Tuple[str, ...]]]] = {}
        self._any: List[Tuple[Tuple[str, ...], Tuple[str, ...]]] = []
        self.words: set = set()
        self._by_skeleton: Dict[str, List[Tuple[Tuple[str, ...], Tuple[str, ...]]]] = {}

    def add(self, phrases: Iterable[str], label: Sequence[str]) -> None:
        for phrase in phrases or ():
            pattern = compile_phrase(phrase)
            if not pattern:
                continue
            entry = (pattern, tuple(label))
            first = pattern[0]
            if first == "?" or (first.endswith("*") and len(first) < 3):
                self._any.append(entry)
            elif first.endswith("*"):
                self._wild.setdefault(first[:2], []).append(entry)
                key = stem_skeleton(first[:-1])
                if key:
                    self._by_skeleton.setdefault(key[:2], []).append(entry)
            else:
                self._by_first.setdefault(first, []).append(entry)
            self.words.update(w for w in pattern if not w.endswith("*") and w != "?")

    def find(self, tokens: List[Token]) -> List[Match]:
        found: List[Match] = []
        for i, token in enumerate(tokens):
            candidates = []
            # dict.fromkeys: each key once, in a fixed order (a set's order changes between runs)
            for key in dict.fromkeys((token.surf, token.lemma, token.fuzzy) + token.alts):
                if key:
                    candidates.extend(self._by_first.get(key, ()))
            for key in dict.fromkeys((token.surf[:2], token.lemma[:2]) + tuple(a[:2] for a in token.alts)):
                candidates.extend(self._wild.get(key, ()))
            for key in dict.fromkeys(s[:2] for s in token.skels):
                candidates.extend(self._by_skeleton.get(key, ()))
            candidates.extend(self._any)
            for pattern, label in candidates:
                end = i + len(pattern)
                if end > len(tokens):
                    continue
                if all(token_matches(p, tokens[i + k]) for k, p in enumerate(pattern)):
                    found.append(Match(label, i, end))
        return sorted(set(found), key=lambda m: (m.start, m.end, m.label))


def longest_first(matches: List[Match]) -> List[Match]:
    """Overlapping matches resolved in favour of the longest (then the earliest)."""
    ignores = [m for m in matches if "ignore" in m.label]
    # a reading inside a phrase listed to cancel it is gone, even where that phrase loses to a longer one
    matches = [m for m in matches if "ignore" in m.label or not any(i.start <= m.start and m.end <= i.end for i in ignores)]
    chosen: List[Match] = []
    taken = set()
    # on a tie an "ignore" entry wins: it exists to cancel that very reading
    for m in sorted(matches, key=lambda m: (-m.length, "ignore" not in m.label, m.start, m.label)):
        span = set(range(m.start, m.end))
        if span & taken:
            continue
        taken |= span
        chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)
