"""Going back, starting over, stopping and forgetting: the person stays in control of the questions."""

from __future__ import annotations

import datetime
from typing import Any, List, Optional, Tuple

from bot import i18n
from bot.conversation.parsing import contains, normal
from bot.conversation.reply import Say
from bot.conversation.state import APPLICANT, Message, State
from bot.conversation.text import display, label, say
from bot.routing import QUESTION_ORDER


def answered_fields(state: State) -> List[str]:
    """The fields with an answer, in the order they are asked."""
    return [f for f in [APPLICANT] + list(QUESTION_ORDER) if state.answers.get(f) is not None]


def last_answered(state: State) -> Optional[str]:
    """The answer most recently given a value that still holds."""
    return next((name for name in state.recent if state.answers.get(name) is not None), None)


def go_back(state: State, message: Message, lang: str, today: datetime.date) -> Tuple[State, List[Any]]:
    """ "back": during the questions, change the last answer; after the outcome, choose which answer.

    After an outcome the last answer is rarely the wrong one (a wrong procedure decides everything),
    so the person picks the answer to change; `/change_answer{"change": "<field>"}` clears that one.
    """
    chosen, answered = message.entity("change"), answered_fields(state)
    if chosen in answered:
        field = chosen
    elif not state.asking and answered:
        buttons = [
            {
                "title": say(
                    "conversation.change_button", lang, field=label(f, lang), value=display(f, state.answers[f], lang)
                ),
                "payload": '/change_answer{"change": "%s"}' % f,
            }
            for f in answered
        ]
        return state, [Say(say("conversation.change_which", lang), buttons)]
    else:
        field = last_answered(state)
    if field is None:
        return state, [Say(say("chat.nothing_to_change", lang))]
    after = state.copy()
    memo = after.memo
    # the old answer comes back if the new one cannot be read or is not known
    memo["back_from"] = {field: state.answers[field]}
    memo["asked"][field] = 0
    memo["unknown"] = [f for f in memo["unknown"] if f != field]
    memo["unsure"] = [f for f in memo["unsure"] if f != field]
    after.answers[field] = None
    after.requested = None
    return after, [Say(say("chat.go_back", lang))]


def start_over(state: State, message: Message, lang: str, today: datetime.date) -> Tuple[State, List[Any]]:
    return State(language=lang, cleared=True), [Say(say("chat.restarted", lang))]


def stop(state: State, message: Message, lang: str, today: datetime.date) -> Tuple[State, List[Any]]:
    after = state.copy()
    after.asking, after.requested, after.stopped = False, None, True
    return after, [Say(say("chat.goodbye" if message.intent == "goodbye" else "chat.stopped", lang))]


def asks_to_delete(text: str) -> bool:
    """Whether a typed message names deleting (i18n `answers.forget`, every catalog: people mix
    languages): the intent model alone once read "как не удалось?" as "forget me"."""
    said = normal(text)
    return any(contains(said, word) for lang in i18n.SUPPORTED_LANGUAGES for word in i18n.raw("answers.forget", lang))


def forget(state: State, message: Message, lang: str, today: datetime.date) -> Tuple[State, List[Any]]:
    """ "Forget me": confirmed in the person's language; nothing is carried on, not even the language.
    A typed message that names no deleting loses nothing: the questions stop and a button deletes."""
    if message.payload or asks_to_delete(message.text):
        return State(cleared=True, stopped=True), [Say(say("forget.done", lang))]
    after = state.copy()
    after.asking, after.requested, after.stopped = False, None, True
    buttons = [{"title": say("forget.delete", lang), "payload": "/forget_me"}]
    if state.asking:
        # "start" goes on with the questions; after an answer it would begin again, so it is offered only here
        buttons.insert(0, {"title": say("forget.continue", lang), "payload": "/start_application"})
    return after, [Say(say("forget.kept", lang), buttons)]
