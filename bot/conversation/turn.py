"""One message in, the state after it and the replies out: the whole conversation, without Rasa.

`message.step` is what the dialogue rules chose for the message (data/rules): the questions, a
side answer, back, ...; every step first settles the language to answer in.
"""

from __future__ import annotations

import datetime
from typing import Any, Callable, Dict, List, Tuple

from bot import i18n
from bot import language as languages
from bot.conversation import navigation, outcome, side
from bot.conversation.asks import ask
from bot.conversation.form import questions_turn
from bot.conversation.reply import Pass
from bot.conversation.state import Message, State


def ask_step(state: State, message: Message, lang: str, today: datetime.date) -> Tuple[State, List[Any]]:
    """The question `state.requested`."""
    question = ask(state, state.requested, lang, today)
    return state, [question] if question else []


STEPS: Dict[str, Callable[[State, Message, str, datetime.date], Tuple[State, List[Any]]]] = {
    "form": questions_turn,
    "ask": ask_step,
    "reply": side.side_answer,
    "fallback": side.fallback,
    "back": navigation.go_back,
    "start_over": navigation.start_over,
    "stop": navigation.stop,
    "forget": navigation.forget,
    "outcome": outcome.outcome,
    "handoff": outcome.handoff,
}


def language_of(state: State, message: Message) -> str:
    """The language to answer in (bot.language.choose): one asked for in this message (button or typed),
    the channel's metadata.language, the language the message is written in when it says enough,
    else the current one."""
    return i18n.normalise_language(
        languages.choose(
            message.text,
            current=state.language,
            metadata_language=message.language,
            intent=message.intent,
            entities=message.entities,
            previous_metadata_language=message.previous_language,
        )
    )


def turn(state: State, message: Message, today: datetime.date) -> Tuple[State, List[Any]]:
    """The state after `message` and what to answer; `state` itself is left as it was."""
    lang = language_of(state, message)
    after, replies = STEPS[message.step](state.copy(), message, lang, today)
    if not any(isinstance(reply, Pass) for reply in replies) and message.step != "forget":
        after.language = lang
    return after, replies
