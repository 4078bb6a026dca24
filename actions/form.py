"""validate_situation_form: reads every message for facts, keeps what was said, asks only what is missing.

The rules for using what a message says (issue 6):
- a button sets exactly what it says; typed text goes through `bot.understanding.understand`, and the
  entities Rasa's NLU may have put in slots from typed text are not trusted;
- the answer to the question asked is taken at once; other facts read from free text wait in
  `pending` and are confirmed in one line ("So: ... Right?") before they decide anything;
- a fact already known changes only when the person says it changed, and the reply says what changed;
- an answer that cannot be read never erases anything; "I don't know" gets where to find the answer,
  and a question still unanswered after being asked twice is left out (the outcome says what to check).
"""
from __future__ import annotations

import datetime
import re
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import context
from actions.context import APPLICANT, CONFIRM, STATE, SUBJECTS
from actions.parsing import contains, normal, parse, parse_bool, typed_goal, year_only
from actions.replies import REPLIES, reply_text
from bot import i18n
from bot.questions import BOOL_FIELDS, DATE_FIELDS, decides_alike
from bot.routing import SITUATION_FIELDS, Situation, recommend
from bot.understanding import understand

#: Intents that leave the question for a moment; rules answer them and come back to the form.
CONTROL = {"go_back", "stop", "start_over", "goodbye", "change_language", "change_answer", "forget_me", "get_link"}
SIDE_QUESTIONS = {
    "ask_cukr", "ask_signature", "ask_paper", "ask_mos", "ask_fees", "ask_fingerprints", "ask_confirmation",
    "ask_employer", "ask_pesel", "ask_human", "ask_processing_time", "ask_print_post", "ask_who_may_sign",
    "ask_posted_application", "ask_trusted_profile", "ask_cukr_employer", "greet", "thank",
}
INTERRUPTIONS = CONTROL | SIDE_QUESTIONS
#: How often a question may be asked; an answer still missing then is left out.
MAX_ASKS = 2

FORM_ACTIONS = {"situation_form", "validate_situation_form", "action_listen"}


def _returning_from_interruption(tracker: Tracker) -> bool:
    """True when another action answered the user's last message before the form runs again.

    An action that said nothing only handed the message on (an "out of scope" message that states
    facts): the form reads it as an answer.
    """
    interrupted = said = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        said = said or event.get("event") == "bot"
        interrupted = interrupted or (event.get("event") == "action" and event.get("name") not in FORM_ACTIONS)
    return interrupted and said


def _after_outcome(tracker: Tracker) -> bool:
    """True when the last thing that ended the questions was a recommendation (not a stop)."""
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") in ("action_recommend", "action_stop",
                                                                     "action_start_over"):
            return event.get("name") == "action_recommend"
    return False


def says_changed(text: str, lang: str) -> bool:
    """The person says a fact changed or was wrong ("actually", "not Vietnam", "I mean")."""
    words = normal(text)
    return any(contains(words, w) for w in i18n.raw("conversation.change_words", lang))


def is_question(text: str, lang: str) -> bool:
    """The message asks something: a question mark, or it opens with (or holds) a question phrase."""
    if "?" in text:
        return True
    words = normal(text)
    phrases = i18n.raw("conversation.question_words", lang)
    return any(words.startswith(p + " ") for p in phrases) or any(" " in p and contains(words, p) for p in phrases)


def wrong_fact(tracker: Tracker) -> Optional[str]:
    """The fact a "this one is wrong" button names (`/deny{"change": "<field>"}`)."""
    entities = (tracker.latest_message or {}).get("entities") or []
    return next((e.get("value") for e in entities if e.get("entity") == "change"), None)


def statement_before_question(text: str) -> bool:
    """The message opens with a sentence that is no question, and a question follows it."""
    parts = re.split(r"(?<=[.!;])\s+", text.strip(), maxsplit=1)
    return len(parts) == 2 and "?" not in parts[0] and bool(parts[1].strip())


def subject_of(understood_subject: Optional[str], text: str, lang: str) -> Optional[str]:
    """The applicant slot's value for what the understanding step says the message is about."""
    if understood_subject == "spouse":
        words = normal(text)
        for who in ("wife", "husband"):
            if any(contains(words, w) for w in i18n.raw(f"conversation.subject_words.{who}", lang)):
                return who
        return "relative"
    return understood_subject if understood_subject in SUBJECTS else None


def chosen_subject(text: str, lang: str) -> Optional[str]:
    """The answer to "who is it for?": a typed button title ("My wife"), or one person named."""
    words = normal(text)
    for subject, title in i18n.raw("conversation.applicant", lang).items():
        if words in (normal(title), subject):
            return subject
    named = {subject for subject, names in i18n.raw("conversation.subject_words", lang).items()
             if any(contains(words, name) for name in names)}
    if {"wife", "husband"} <= named:
        named -= {"wife", "husband"}  # "he" and "she" together name nobody
    return named.pop() if len(named) == 1 else None


class ValidateSituationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_situation_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        lang, events = context.language(tracker)
        requested = tracker.get_slot("requested_slot")
        intent = context.latest_intent(tracker)
        text = context.latest_text(tracker)
        state = context.state(tracker)
        today = context.today()
        reply = _Reply(dispatcher, lang)
        slots = self._current(tracker)

        handed_on = bool(state.get("read_latest"))
        state["read_latest"] = False
        if _returning_from_interruption(tracker) and not handed_on:
            # A side answer, "back" or "restart" came first: ask again where we were, not counted.
            if requested in (CONFIRM, APPLICANT) or (requested in SITUATION_FIELDS and slots.get(requested) is None):
                return events + [SlotSet("requested_slot", requested)]
            return events + self._finish(reply, state, slots, today, counted=True)

        payload = text.startswith("/")
        just_set = tracker.slots_to_validate()
        out: List[EventType] = list(events)

        if intent == "start_application" and not requested and _after_outcome(tracker):
            # "start" after an outcome means a new case, not the old answers again
            reply.say("conversation.restarted_after_outcome")
            out += [SlotSet(name, None) for name in slots]
            slots = {name: None for name in slots}
            state = context.new_state()

        # What this message put in slots is only a candidate (NLU entities in typed text are not
        # trusted at all): start from what was there and apply the rules below.
        for name in just_set:
            if name in slots:
                slots[name] = context.value_before_message(tracker, name)
                out.append(SlotSet(name, slots[name]))

        asking = requested if requested in SITUATION_FIELDS else None
        if requested == CONFIRM:
            # "no, since 10.03.2022": a bare date in the answer to "Right?" is the one date waiting there
            waiting_dates = [f for f in state["pending"] if f in DATE_FIELDS]
            asking = waiting_dates[0] if len(waiting_dates) == 1 else None
        if not payload and requested in (None, APPLICANT):
            # A first message, or typing past "who is it for?", answers the question that comes next
            asking = self._situation_question(state, slots, today)
        kept, state["kept"] = state.get("kept"), None  # a "kept" reply holds for the next message only
        if payload:
            given = {f: v for f, v in just_set.items() if f in SITUATION_FIELDS}
            to_confirm: set = set()
            subject = just_set.get(APPLICANT) if just_set.get(APPLICANT) in SUBJECTS else None
            dont_know = asks_why = corrects = False
        else:
            known: Dict[str, Any] = {k: v for k, v in slots.items() if k in SITUATION_FIELDS and v is not None}
            if slots.get(APPLICANT):
                known["subject"] = {"wife": "spouse", "husband": "spouse"}.get(slots[APPLICANT], slots[APPLICANT])
            understood = understand(text, lang, asking=asking, today=today, known=known)
            given = {f: context.stored(fact.value) for f, fact in understood.facts.items() if f in SITUATION_FIELDS}
            # Inferred facts, and facts about another question than the one asked, are confirmed first.
            to_confirm = {f for f, fact in understood.facts.items()
                          if getattr(fact, "inferred", False) or (requested and f != asking)}
            if requested in (None, APPLICANT) and len(given) > 1:
                # a first message telling several things: what they apply for is in the "Right?" line too,
                # so a misread procedure is seen before it decides everything
                to_confirm |= set(given)
            subject = subject_of(understood.subject, text, lang) or (
                chosen_subject(text, lang) if requested == APPLICANT else None)
            dont_know, asks_why = bool(understood.dont_know), bool(understood.asks_why)
            corrects = bool(getattr(understood, "correction", False))
            goal = typed_goal(text, lang) if requested == "procedure" and "procedure" in state["unsure"] else None
            if goal:
                # an aim's title typed instead of pressed ("Работа"): what its button stands for
                given, to_confirm = {f: v for f, v in goal.items() if f in SITUATION_FIELDS}, set()
            if requested == APPLICANT and not subject and given:
                subject = "self"  # "China" at "who is it for?": they are telling about themselves
            if kept and kept not in given and says_changed(text, lang):
                value = self._typed_answer(kept, text, lang, intent, tracker)
                if value is not None:
                    given[kept] = value  # the change the "kept" reply asked them to type
                    corrects = True
            if asking and not given and not dont_know and not asks_why:
                # only for a message that says nothing else: "yes, I have a PESEL" does not answer
                # "do you have a Trusted Profile?"
                fallback = self._typed_answer(asking, text, lang, intent, tracker)
                if fallback is not None:
                    given[asking] = fallback

        yes_no = parse_bool(text, lang, intent) if requested == CONFIRM else None
        # With a side question or a command, only a direct answer keeps the form: facts it merely
        # mentions ("can I sign it with my own Trusted Profile?") are not answers.
        direct = (asking in given and asking not in to_confirm) or (requested == APPLICANT and subject) or \
            (requested == CONFIRM and (given or yes_no is not None))
        side_question = intent in SIDE_QUESTIONS and is_question(text, lang) and not payload
        # "ні, немає. а скільки коштує?": an answer said first, then a question of its own
        answers_first = side_question and direct and statement_before_question(text)
        # "but I don't want a new visa, I want a residence card" is an answer, not "stop"
        states_facts = intent in ("stop", "goodbye") and bool(given) and not payload
        if requested and intent in INTERRUPTIONS and not (direct and (not side_question or answers_first)) and not (
                dont_know or asks_why or states_facts):
            # Returning no slot lets the form reject, so the rules for these intents can answer
            # ("I posted it on 20 April, does it count?" is a question, not the date asked for).
            return []

        if answers_first and intent in REPLIES:
            # "no, I haven't. and how much is it?": the answer is taken and the question answered too
            reply.dispatcher.utter_message(text=reply_text(intent, lang, slots.get(APPLICANT)))
        given, refused = self._valid(given, reply)
        changes: Dict[str, Any] = {}
        pending: Dict[str, Any] = dict(state["pending"]) if requested == CONFIRM else {}
        counted = True

        if requested == CONFIRM:
            if subject and subject != "self" and yes_no is not True:
                # "no, it's for my wife": what was read may have been about the person typing; ask again
                yes_no = False
            elif yes_no is True and slots.get(APPLICANT) is None:
                subject = "self"  # "So, you: ... Right?" - "yes": it is about themselves
            changes, pending = self._confirmation(yes_no, given, pending, state, reply, wrong_fact(tracker))
            for field, value in changes.items():
                if slots.get(field) not in (None, value):
                    self._say_changed(reply, field, slots[field], value)
        else:
            for field, value in given.items():
                old = slots.get(field)
                if old == value:
                    continue
                if old is None:
                    if payload or field not in to_confirm:
                        changes[field] = value
                    else:
                        pending[field] = value
                elif payload or field == asking or corrects or says_changed(text, lang):
                    changes[field] = value
                    self._say_changed(reply, field, old, value)
                else:
                    state["kept"] = field
                    reply.say("conversation.kept", field=self._label(field, reply.lang),
                              old=context.display(field, old, reply.lang), new=context.display(field, value, reply.lang))

        if subject and subject != slots.get(APPLICANT):
            if slots.get(APPLICANT) in (None, "self") or payload or requested == APPLICANT or says_changed(text, lang):
                out.append(SlotSet(APPLICANT, subject))
                slots[APPLICANT] = subject

        if requested in SITUATION_FIELDS or requested == APPLICANT:
            answered = requested in changes or requested in pending or requested in refused or \
                (requested == APPLICANT and slots.get(APPLICANT) is not None)
            if not answered:
                if asks_why:
                    reply.say(f"conversation.why.{requested}")
                    counted = False
                elif dont_know:
                    if requested in state["unsure"] or state["asked"].get(requested, 0) >= MAX_ASKS:
                        self._give_up(requested, state, slots, out, reply, "conversation.go_on_without")
                    else:
                        state["unsure"].append(requested)  # the question comes again with where to look
                elif not changes and not pending and not subject:
                    if state["asked"].get(requested, 0) >= MAX_ASKS:
                        self._give_up(requested, state, slots, out, reply, "conversation.not_understood_twice")
                    elif requested == APPLICANT:
                        reply.say("conversation.dont_know.applicant")
                    else:
                        reply.say(f"explain.{requested}")

        out += [SlotSet(field, value) for field, value in changes.items()]
        slots.update(changes)
        # an answer given later, after the person could not say it, counts again
        state["unknown"] = [field for field in state["unknown"] if field not in changes]
        if pending and requested != CONFIRM:
            state["asked"][CONFIRM] = 0  # new facts to confirm: a new question, with its own count
        state["pending"] = pending
        if changes:
            state["back_from"] = {}
        return out + self._finish(reply, state, slots, today, counted)

    # -- pieces -----------------------------------------------------------------------------

    @staticmethod
    def _current(tracker: Tracker) -> Dict[str, Any]:
        return {name: tracker.get_slot(name) for name in list(SITUATION_FIELDS) + [APPLICANT]}

    @staticmethod
    def _label(field: str, lang: str) -> str:
        return context.say(f"conversation.labels.{field}", lang)

    def _typed_answer(self, field: str, text: str, lang: str, intent: Optional[str], tracker: Tracker) -> Any:
        """The older one-question parsers, for what the understanding step leaves: yes/no and dates."""
        today = context.today()
        if field in BOOL_FIELDS:
            return parse_bool(text, lang, intent)
        if field == "ukr_status_since":
            value = parse(field, text, lang, today, intent) or self._year_if_it_decides(text, tracker, today)
            return context.stored(value)
        if field == "permit_expires":
            return context.stored(parse(field, text, lang, today, intent))
        return None

    @staticmethod
    def _valid(given: Dict[str, Any], reply: "_Reply") -> Tuple[Dict[str, Any], set]:
        """Values the engine accepts; a start of UKR status in the future is refused with a reason."""
        valid, refused = {}, set()
        today = context.today()
        for field, value in given.items():
            if value is None:
                continue
            if field == "ukr_status_since" and str(value) > today.isoformat():
                reply.say("explain.future_date")
                refused.add(field)
                continue
            try:
                Situation(**{field: value})
            except ValueError:
                refused.add(field)
                continue
            valid[field] = value
        return valid, refused

    @staticmethod
    def _confirmation(yes_no: Optional[bool], given: Dict[str, Any], pending: Dict[str, Any], state: Dict[str, Any],
                      reply: "_Reply", wrong: Optional[str] = None) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        """The answer to "So: ... Right?": yes takes the facts, a correction fixes them, no drops them.

        Facts about other things than those to confirm mean the person answered something else: those
        are taken and the unconfirmed ones are dropped (their questions come when they matter).
        """
        state["which"] = False
        if wrong in pending:
            # "No: this one is wrong" (a button): the others are taken, that one is asked when it matters
            return {f: v for f, v in pending.items() if f != wrong}, {}
        if yes_no is True:
            return {**pending, **given}, {}
        if yes_no is False and not given and len(pending) > 1 and state["asked"].get(CONFIRM, 0) < MAX_ASKS:
            # a plain "no" to several facts: which one? (dropping all of them asks again what was said)
            state["which"] = True
            return {}, pending
        if given and (yes_no is False or set(given) & set(pending)):
            reply.say("conversation.confirm_corrected")
            return {**pending, **given}, {}
        if given:
            return dict(given), {}
        if yes_no is False or state["asked"].get(CONFIRM, 0) >= MAX_ASKS:
            reply.say("conversation.confirm_dropped")
            return {}, {}
        reply.say("conversation.confirm_explain")
        return {}, pending

    def _say_changed(self, reply: "_Reply", field: str, old: Any, new: Any) -> None:
        reply.say("conversation.changed", field=self._label(field, reply.lang),
                  new=context.display(field, new, reply.lang), old=context.display(field, old, reply.lang))

    @staticmethod
    def _give_up(field: str, state: Dict[str, Any], slots: Dict[str, Any], out: List[EventType], reply: "_Reply",
                 key: str) -> None:
        """Go on without the answer; an answer the person only wanted to change is kept instead."""
        if field == "procedure" and field not in state["unsure"]:
            # nothing can be decided without it: ask what they want to do, in plain words, instead
            state["unsure"].append(field)
            state["asked"][field] = 0
            return
        if field == "procedure":
            # not even the plain-word aims: no more questions; the outcome says what to find out, and where
            state["unknown"].append(field)
            reply.say("conversation.no_procedure")
            return
        if field == CONFIRM:
            state["pending"] = {}  # unconfirmed facts are dropped; their questions come when they matter
        old = state["back_from"].pop(field, None)
        if old is not None:
            out.append(SlotSet(field, old))
            slots[field] = old
            return
        if field not in state["unknown"]:
            state["unknown"].append(field)
        reply.say(key)

    def _finish(self, reply: "_Reply", state: Dict[str, Any], slots: Dict[str, Any], today: datetime.date,
                counted: bool) -> List[EventType]:
        """The next question (counted), the updated state, or the end of the questions."""
        events: List[EventType] = []
        next_field = self._next_field(state, slots, today)
        for _ in range(len(SITUATION_FIELDS) + 2):  # each round settles one question for good
            if not (next_field and counted and state["asked"].get(next_field, 0) >= MAX_ASKS):
                break
            # asked twice already: never a third time
            self._give_up(next_field, state, slots, events, reply, "conversation.go_on_without")
            next_field = self._next_field(state, slots, today)
        if next_field and counted:
            state["asked"][next_field] = state["asked"].get(next_field, 0) + 1
        return events + [SlotSet(STATE, state), SlotSet("requested_slot", next_field)]

    def _next_field(self, state: Dict[str, Any], slots: Dict[str, Any], today: datetime.date) -> Optional[str]:
        if state["pending"]:
            return CONFIRM
        if slots.get(APPLICANT) is None and APPLICANT not in state["unknown"]:
            return APPLICANT
        return self._situation_question(state, slots, today)

    @staticmethod
    def _situation_question(state: Dict[str, Any], slots: Dict[str, Any], today: datetime.date) -> Optional[str]:
        """The next Situation field the engine needs, leaving out those the person could not answer."""
        if "procedure" in state["unknown"] and not slots.get("procedure"):
            return None  # without the procedure every later question would be a guess
        situation = context.situation_from({k: slots.get(k) for k in SITUATION_FIELDS})
        for field in recommend(situation, today).ask_next:
            if field not in state["unknown"]:
                return field
        return None

    @staticmethod
    def _year_if_it_decides(raw: Any, tracker: Tracker, today: datetime.date) -> Optional[datetime.date]:
        """'Since 2022' is enough when any day of that year gives the same CUKR answer.

        The last day of the year is kept (fewer days of status, never more); when the first and
        the last day disagree (2025, around 4 June), the exact date has to be asked.
        """
        year = year_only(raw)
        if year is None:
            return None
        first, last = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
        if first > today:
            return None
        return last if decides_alike(context.situation(tracker), "ukr_status_since", [first, last], today) else None


class _Reply:
    """Messages for this turn, from the catalog with the rules' constants filled in."""

    def __init__(self, dispatcher: CollectingDispatcher, lang: str):
        self.dispatcher, self.lang = dispatcher, lang

    def say(self, key: str, **params: Any) -> None:
        self.dispatcher.utter_message(text=context.say(key, self.lang, **params))
