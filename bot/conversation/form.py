"""The questions: reads every message for facts, keeps what was said, asks only what is missing.

The rules for using what a message says (issue 6):
- the answer to the question asked is taken at once; other facts read from free text wait in
  `pending` and are confirmed in one line ("So: ... Right?") before they decide anything;
- a fact already known changes only when the person says it changed, and the reply says what changed;
- an answer that cannot be read never erases anything; "I don't know" gets where to find the answer,
  and a question still unanswered after being asked twice is left out (the outcome says what to check).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from bot.conversation import reading as read
from bot.conversation.parsing import parse_bool
from bot.conversation.reply import Pass, Say
from bot.conversation.side import FAQ_INTENTS, REPLIES, reply_text
from bot.conversation.state import APPLICANT, CONFIRM, MAX_ASKS, Message, State, new_memo
from bot.conversation.text import display, label, say, situation_from
from bot.routing import SITUATION_FIELDS, Situation, recommend

#: Intents that leave the question for a moment; rules answer them and come back to the form.
CONTROL = {"go_back", "stop", "start_over", "goodbye", "change_language", "change_answer", "forget_me", "get_link"}
SIDE_QUESTIONS = {*FAQ_INTENTS, "greet", "thank"}
INTERRUPTIONS = CONTROL | SIDE_QUESTIONS


@dataclass
class Work:
    """One turn of the questions: the state being changed and the replies so far."""

    state: State
    message: Message
    lang: str
    today: datetime.date
    slots: Dict[str, Any]
    replies: List[Any] = field(default_factory=list)
    asking: Optional[str] = None  # the question this message answers

    @property
    def memo(self) -> Dict[str, Any]:
        return self.state.memo

    def say(self, key: str, **params: Any) -> None:
        self.replies.append(Say(say(key, self.lang, **params)))


def questions_turn(state: State, message: Message, lang: str, today: datetime.date) -> Tuple[State, List[Any]]:
    """The questions' answer to one message: the state after it, and what to say."""
    work = Work(state.copy(), message, lang, today, dict(state.answers))
    requested = state.requested
    handed_on = work.memo["read_latest"]
    work.memo["read_latest"] = False
    if message.answered and not handed_on:
        # A side answer, "back" or "restart" came first: ask again where we were, not counted.
        if requested in (CONFIRM, APPLICANT) or (requested in SITUATION_FIELDS and work.slots.get(requested) is None):
            return work.state, []
        return finish(work, counted=True)
    if message.intent == "start_application" and not requested and state.after_outcome:
        # "start" after an outcome means a new case, not the old answers again
        work.say("conversation.restarted_after_outcome")
        work.slots = {name: None for name in work.slots}
        work.state.memo = new_memo()
    # What this message put in slots is only a candidate: start from what was there.
    work.slots.update({name: message.slots_before.get(name) for name in message.slots_set if name in work.slots})
    reading, yes_no = read_message(work)
    if passes_to_rules(work, reading, yes_no):
        return state, [Pass()]
    return take(work, reading, yes_no)


def read_message(work: Work) -> Tuple[read.Reading, Optional[bool]]:
    """What the message gives, and its yes or no when the question was "Right?"."""
    message, requested = work.message, work.state.requested
    asking = read.asked_question(requested, work.memo["pending"], message, lambda: situation_question(work))
    kept, work.memo["kept"] = work.memo["kept"], None  # a "kept" reply holds for the next message only
    if message.payload:
        reading = read.read_payload(message)
    else:
        reading = read.read_typed(message, work.lang, requested, asking, work.slots, work.today)
        question = {"requested": requested, "asking": asking, "kept": kept, "unsure": work.memo["unsure"]}
        reading = read.complete_typed(reading, message, work.lang, question, work.state.answers, work.today)
    work.asking = asking
    yes_no = parse_bool(message.text, work.lang, message.intent) if requested == CONFIRM else None
    return reading, yes_no


def passes_to_rules(work: Work, reading: read.Reading, yes_no: Optional[bool]) -> bool:
    """A side question or a command the rules answer; it keeps the form only when it answers directly.

    Facts it merely mentions ("can I sign it with my own Trusted Profile?") are no answers; "ні, немає.
    а скільки коштує?" (an answer said first, then a question) is answered and its question too.
    """
    message, requested, asking, given = work.message, work.state.requested, work.asking, reading.given
    direct = (
        (asking in given and asking not in reading.to_confirm)
        or (requested == APPLICANT and reading.subject)
        or (requested == CONFIRM and (given or yes_no is not None))
    )
    side_question = message.intent in SIDE_QUESTIONS and read.is_question(message.text, work.lang) and not message.payload
    answers_first = side_question and direct and read.statement_before_question(message.text)
    # "but I don't want a new visa, I want a residence card" is an answer, not "stop"
    states_facts = message.intent in ("stop", "goodbye") and bool(given) and not message.payload
    if (
        requested
        and message.intent in INTERRUPTIONS
        and not (direct and (not side_question or answers_first))
        and not (reading.dont_know or reading.asks_why or states_facts)
    ):
        return True
    if answers_first and message.intent in REPLIES:
        work.replies.append(Say(reply_text(message.intent, work.lang, work.slots.get(APPLICANT))))
    return False


def take(work: Work, reading: read.Reading, yes_no: Optional[bool]) -> Tuple[State, List[Any]]:
    """Take what the message gives, say what changed, and go on to the next question."""
    requested, memo = work.state.requested, work.memo
    given, refused = valid(work, reading.given)
    if requested == CONFIRM:
        changes, pending = confirmed(work, reading, yes_no, given)
    else:
        changes, pending = answered(work, reading, given)
    take_subject(work, reading.subject, {**changes, **pending})
    counted = not_answered(work, reading, changes, pending, refused)
    work.slots.update(changes)
    # an answer given later, after the person could not say it, counts again
    memo["unknown"] = [f for f in memo["unknown"] if f not in changes]
    if pending and requested != CONFIRM:
        memo["asked"][CONFIRM] = 0  # new facts to confirm: a new question, with its own count
    memo["pending"] = pending
    if changes:
        memo["back_from"] = {}
    return finish(work, counted)


def valid(work: Work, given: Dict[str, Any]) -> Tuple[Dict[str, Any], set]:
    """Values the engine accepts; a start of UKR status in the future is refused with a reason."""
    accepted, refused = {}, set()
    for name, value in given.items():
        if value is None:
            continue
        if name == "ukr_status_since" and str(value) > work.today.isoformat():
            work.say("explain.future_date")
            refused.add(name)
            continue
        try:
            Situation(**{name: value})
        except ValueError:
            refused.add(name)
            continue
        accepted[name] = value
    return accepted, refused


def confirmed(
    work: Work, reading: read.Reading, yes_no: Optional[bool], given: Dict[str, Any]
) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """The answer to "So: ... Right?", and what it changes (each change said)."""
    if reading.subject and reading.subject != "self" and yes_no is not True:
        # "no, it's for my wife": what was read may have been about the person typing; ask again
        yes_no = False
    elif yes_no is True and work.slots.get(APPLICANT) is None:
        reading.subject = "self"  # "So, you: ... Right?" - "yes": it is about themselves
    changes, pending = confirmation(work, yes_no, given, dict(work.memo["pending"]), work.message.entity("change"))
    for name, value in changes.items():
        if work.slots.get(name) not in (None, value):
            say_changed(work, name, work.slots[name], value)
    return changes, pending


def confirmation(
    work: Work, yes_no: Optional[bool], given: Dict[str, Any], pending: Dict[str, Any], wrong: Optional[str]
) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """Yes takes the facts, a correction fixes them, no drops them (a button may name the wrong one).

    Facts about other things than those to confirm mean the person answered something else: those
    are taken and the unconfirmed ones are dropped (their questions come when they matter).
    """
    memo = work.memo
    memo["which"] = False
    if wrong in pending:
        # "No: this one is wrong" (a button): the others are taken, that one is asked when it matters
        return {f: v for f, v in pending.items() if f != wrong}, {}
    if yes_no is True:
        return {**pending, **given}, {}
    if yes_no is False and not given and len(pending) > 1 and memo["asked"].get(CONFIRM, 0) < MAX_ASKS:
        # a plain "no" to several facts: which one? (dropping all of them asks again what was said)
        memo["which"] = True
        return {}, pending
    if given and (yes_no is False or set(given) & set(pending)):
        work.say("conversation.confirm_corrected")
        return {**pending, **given}, {}
    if given:
        return dict(given), {}
    if yes_no is False or memo["asked"].get(CONFIRM, 0) >= MAX_ASKS:
        work.say("conversation.confirm_dropped")
        return {}, {}
    work.say("conversation.confirm_explain")
    return {}, pending


def answered(work: Work, reading: read.Reading, given: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """Facts given outside "Right?": new ones are taken or wait for confirmation, known ones change
    only when the person says so (else the old answer is kept, and the reply says how to change it)."""
    message, changes, pending = work.message, {}, {}
    for name, value in given.items():
        old = work.slots.get(name)
        if old == value:
            continue
        if old is None:
            if message.payload or name not in reading.to_confirm:
                changes[name] = value
            else:
                pending[name] = value
        elif message.payload or name == work.asking or reading.corrects or read.says_changed(message.text, work.lang):
            changes[name] = value
            say_changed(work, name, old, value)
        else:
            work.memo["kept"] = name
            work.say(
                "conversation.kept",
                field=label(name, work.lang),
                old=display(name, old, work.lang),
                new=display(name, value, work.lang),
            )
    return changes, pending


#: facts of one person: given before the application turned out to be someone else's, they were the typer's
PERSONAL = ("in_poland", "permit_expires", "minor", "has_pesel", "has_trusted_profile", "has_qualified_signature")


def take_subject(work: Work, subject: Optional[str], given: Dict[str, Any]) -> None:
    """Whom it is for, when the message names someone else than known and may change it. From the
    typer to someone else, the typer's own facts go ("me i dey lodz", then "na for my wife": she is in
    Lagos) and are asked again of the applicant; `given`: this message's facts, which stay."""
    known, message = work.slots.get(APPLICANT), work.message
    if subject and subject != known:
        if (
            known in (None, "self")
            or message.payload
            or work.state.requested == APPLICANT
            or read.says_changed(message.text, work.lang)
        ):
            work.slots[APPLICANT] = subject
            if known in (None, "self") and subject != "self":
                for name in PERSONAL:
                    if work.slots.get(name) is not None and name not in given:
                        work.slots[name] = None
                # the questions are now about another person: none has been asked of them yet
                for name in list(work.memo["asked"]):
                    if work.slots.get(name) is None:
                        work.memo["asked"][name] = 0


def not_answered(work: Work, reading: read.Reading, changes: Dict[str, Any], pending: Dict[str, Any], refused: set) -> bool:
    """The question asked got no answer: why it is asked, where to look, or give up; False when the
    question comes again uncounted (after "why?")."""
    requested, memo = work.state.requested, work.memo
    if not (requested in SITUATION_FIELDS or requested == APPLICANT):
        return True
    if (
        requested in changes
        or requested in pending
        or requested in refused
        or (requested == APPLICANT and work.slots.get(APPLICANT) is not None)
    ):
        return True
    if reading.asks_why:
        work.say(f"conversation.why.{requested}")
        return False
    if reading.dont_know:
        if requested in memo["unsure"] or memo["asked"].get(requested, 0) >= MAX_ASKS:
            give_up(work, requested, "conversation.go_on_without")
        else:
            memo["unsure"].append(requested)  # the question comes again with where to look
    elif not changes and not pending and not reading.subject:
        if memo["asked"].get(requested, 0) >= MAX_ASKS:
            give_up(work, requested, "conversation.not_understood_twice")
        elif requested == APPLICANT:
            work.say("conversation.dont_know.applicant")
        else:
            work.say(f"explain.{requested}")
    return True


def say_changed(work: Work, name: str, old: Any, new: Any) -> None:
    work.say(
        "conversation.changed",
        field=label(name, work.lang),
        new=display(name, new, work.lang),
        old=display(name, old, work.lang),
    )


def give_up(work: Work, question: str, key: str) -> None:
    """Go on without the answer; an answer the person only wanted to change is kept instead."""
    memo = work.memo
    if question == "procedure" and question not in memo["unsure"]:
        # nothing can be decided without it: ask what they want to do, in plain words, instead
        memo["unsure"].append(question)
        memo["asked"][question] = 0
        return
    if question == "procedure":
        # not even the plain-word aims: no more questions; the outcome says what to find out, and where
        memo["unknown"].append(question)
        work.say("conversation.no_procedure")
        return
    if question == CONFIRM:
        memo["pending"] = {}  # unconfirmed facts are dropped; their questions come when they matter
    old = memo["back_from"].pop(question, None)
    if old is not None:
        work.slots[question] = old
        return
    if question not in memo["unknown"]:
        memo["unknown"].append(question)
    work.say(key)


def finish(work: Work, counted: bool) -> Tuple[State, List[Any]]:
    """The next question (counted), or the end of the questions."""
    memo = work.memo
    next_question = next_field(work)
    for _ in range(len(SITUATION_FIELDS) + 2):  # each round settles one question for good
        if not (next_question and counted and memo["asked"].get(next_question, 0) >= MAX_ASKS):
            break
        # asked twice already: never a third time
        give_up(work, next_question, "conversation.go_on_without")
        next_question = next_field(work)
    if next_question and counted:
        memo["asked"][next_question] = memo["asked"].get(next_question, 0) + 1
    work.state.answers = work.slots
    work.state.requested = next_question
    return work.state, work.replies


def next_field(work: Work) -> Optional[str]:
    if work.memo["pending"]:
        return CONFIRM
    if work.slots.get(APPLICANT) is None and APPLICANT not in work.memo["unknown"]:
        return APPLICANT
    return situation_question(work)


def situation_question(work: Work) -> Optional[str]:
    """The next Situation field the engine needs, leaving out those the person could not answer."""
    return next_situation_question(work.memo, work.slots, work.today)


def next_situation_question(memo: Dict[str, Any], slots: Dict[str, Any], today: datetime.date) -> Optional[str]:
    if "procedure" in memo["unknown"] and not slots.get("procedure"):
        return None  # without the procedure every later question would be a guess
    situation = situation_from({k: slots.get(k) for k in SITUATION_FIELDS})
    for name in recommend(situation, today).ask_next:
        if name not in memo["unknown"]:
            return name
    return None
