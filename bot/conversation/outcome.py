"""The outcome: the recommendation as text and as data, and the personal link that goes with it."""

from __future__ import annotations

import datetime
import json
from typing import Any, List, Optional, Tuple

from bot import i18n, links
from bot.conversation.asks import about
from bot.conversation.reading import is_question
from bot.conversation.reply import Link, Outcome, Say
from bot.conversation.side import REPLIES, link_button, reply_text
from bot.conversation.state import APPLICANT, CONFIRM, Message, State
from bot.conversation.text import say, situation_from
from bot.render import decided_lines, sections
from bot.routing import recommend

#: answers to questions about the procedure (not greetings, yes/no or "out of scope")
SIDE_ANSWERS = {intent for intent in REPLIES if intent.startswith("ask_")}


def question_asked(message: Message, lang: str) -> Optional[str]:
    """The side question a typed question after the outcome most likely is, from the intent ranking
    ("can I sign it for her with my Trusted Profile?" read as a fact still asks who may sign)."""
    if not message.text or message.payload or not is_question(message.text, lang):
        return None
    return next((r.get("name") for r in message.ranking if r.get("name") in SIDE_ANSWERS), None)


def unchecked(fields: List[str], lang: str) -> str:
    """What could not be checked, and for each what to verify."""
    labels = ", ".join(say(f"conversation.labels.{f}", lang) for f in fields)
    lines = [say("conversation.unchecked", lang, fields=labels)]
    lines += [
        say(
            "conversation.unchecked_field",
            lang,
            field=say(f"conversation.labels.{f}", lang),
            how=say(f"conversation.verify.{f}", lang),
        )
        for f in fields
    ]
    return "\n".join(lines)


def outcome(state: State, message: Message, lang: str, today: datetime.date) -> Tuple[State, List[Any]]:
    """The recommendation, once per set of answers; asked again, a question gets its side answer."""
    situation = situation_from(state.situation_values())
    shown = json.dumps([situation.json(), lang, state.memo["unknown"], state.answers.get(APPLICANT)])
    if state.memo["shown"] == shown:
        # nothing new since the answer above: not all of it again; a question gets its answer
        question = question_asked(message, lang)
        text = (
            reply_text(question, lang, state.answers.get(APPLICANT), recommend(situation, today).signer)
            if question
            else say("chat.outcome_unchanged", lang)
        )
        return state, [Say(text, link_button(lang))]
    after = state.copy()
    after.memo["shown"] = shown
    rec = recommend(situation, today, lang)
    decision, *details = sections(rec)
    unknown = [f for f in state.memo["unknown"] if f in rec.missing or f == APPLICANT]
    if rec.missing:
        # Some answers stayed unknown: show what is decided and what the person must verify.
        decision = "\n".join(decided_lines(rec) + [unchecked(unknown or rec.missing, lang)])
    person = about(state)
    note = {
        "applicant": f"conversation.signer_note.{person}",
        "sponsor": "conversation.signer_note_sponsor",
        "legal_representative": "conversation.signer_note.child" if person == "child" else None,
    }.get(rec.signer or "")
    if person != "self" and note:
        # "Who signs: you" would be wrong when the person asks for someone else
        decision = decision.replace(say(f"render.signer.{rec.signer}", lang), say(note, lang))
    replies: List[Any] = [Outcome(say("chat.recommendation_intro", lang) + "\n" + decision, json.loads(rec.json()))]
    if rec.steps and rec.signer == "applicant" and i18n.has(f"conversation.steps_for.{person}", lang):
        # an employer or a husband reads steps written to "you": say whose steps they are
        details = [say(f"conversation.steps_for.{person}", lang) + "\n" + details[0], *details[1:]]
    replies += [Say(part) for part in details]
    # the hand-off: the personal link and QR code
    replies.append(Say(say("chat.ask_more", lang), link_button(lang)))
    return after, replies


def open_questions(state: State, ask_next: List[str]) -> List[str]:
    """The questions still to be asked before the answer: facts awaiting confirmation, then what the
    engine waits for, leaving out what the person could not say (the answer marks those)."""
    memo = state.memo
    if "procedure" in memo["unknown"] and not state.answers.get("procedure"):
        return []  # the questions ended without it: the checklist marks what is missing
    waiting = [CONFIRM] if memo["pending"] else []
    return waiting + [field for field in ask_next if field not in memo["unknown"]]


def handoff(state: State, message: Message, lang: str, today: datetime.date) -> Tuple[State, List[Any]]:
    """ "Get my checklist": the personal link and its QR code, once the questions are done.

    One rule in every language: the link comes with the answer. Until then the questions go on where
    they were (never a restart); answers that could not be given are marked on it.
    """
    situation = situation_from(state.situation_values())
    if open_questions(state, recommend(situation, today, lang).ask_next):
        buttons = [] if state.asking else [{"title": say("handoff.continue_button", lang), "payload": "/affirm"}]
        return state, [Say(say("handoff.not_ready", lang), buttons)]
    link = links.link_for(situation, lang, today)
    url = link["url"]
    # the widget renders Markdown: a bare URL would not be clickable there
    shown = f"[{url}]({url})" if message.channel == "socketio" else url
    return state, [Link(say("handoff.text", lang, url=shown, days=links.ttl_days()), link["qr_png"], link)]
