"""action_recommend: the outcome as readable text and as custom.recommendation."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.form import is_question
from actions.replies import REPLIES, reply_text
from bot.render import decided_lines, sections
from bot.routing import recommend


#: answers to questions about the procedure (not greetings, yes/no or "out of scope")
SIDE_ANSWERS = {intent for intent in REPLIES if intent.startswith("ask_")}


class ActionRecommend(Action):
    def name(self) -> Text:
        return "action_recommend"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        situation = context.situation(tracker)
        state = context.state(tracker)
        shown = json.dumps([situation.json(), lang, state["unknown"], tracker.get_slot(context.APPLICANT)])
        if state.get("shown") == shown:
            # nothing new since the answer above: not all of it again; a question gets its answer
            question = _question_asked(tracker, lang)
            text = reply_text(question, lang, tracker.get_slot(context.APPLICANT),
                              recommend(situation, context.today()).signer) if question else \
                context.say("chat.outcome_unchanged", lang)
            dispatcher.utter_message(text=text, buttons=[{"title": context.say("handoff.button", lang),
                                                          "payload": "/get_link"}])
            return events
        state["shown"] = shown
        events = events + [SlotSet(context.STATE, state)]
        rec = recommend(situation, context.today(), lang)
        decision, *details = sections(rec)
        unknown = [f for f in context.state(tracker)["unknown"] if f in rec.missing or f == context.APPLICANT]
        if rec.missing:
            # Some answers stayed unknown: show what is decided and what the person must verify.
            decision = "\n".join(decided_lines(rec) + [_unchecked(unknown or rec.missing, lang)])
        about = context.applicant(tracker)
        note = {"applicant": f"conversation.signer_note.{about}", "sponsor": "conversation.signer_note_sponsor",
                "legal_representative": "conversation.signer_note.child" if about == "child" else None,
                }.get(rec.signer or "")
        if about != "self" and note:
            # "Who signs: you" would be wrong when the person asks for someone else
            decision = decision.replace(context.say(f"render.signer.{rec.signer}", lang), context.say(note, lang))
        text = context.say("chat.recommendation_intro", lang) + "\n" + decision
        dispatcher.utter_message(text=text, json_message={"recommendation": json.loads(rec.json())})
        for part in details:
            dispatcher.utter_message(text=part)
        # the hand-off: the personal link and QR code (actions/handoff.py)
        dispatcher.utter_message(text=context.say("chat.ask_more", lang),
                                 buttons=[{"title": context.say("handoff.button", lang), "payload": "/get_link"}])
        return events


def _question_asked(tracker: Tracker, lang: str) -> Optional[str]:
    """The side question a typed question after the outcome most likely is, from the intent ranking
    ("can I sign it for her with my Trusted Profile?" read as a fact still asks who may sign)."""
    text = context.latest_text(tracker)
    if not text or text.startswith("/") or not is_question(text, lang):
        return None
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    return next((r.get("name") for r in ranking if r.get("name") in SIDE_ANSWERS), None)


def _unchecked(fields: List[str], lang: str) -> str:
    """What could not be checked, and for each what to verify."""
    labels = ", ".join(context.say(f"conversation.labels.{f}", lang) for f in fields)
    lines = [context.say("conversation.unchecked", lang, fields=labels)]
    lines += [context.say("conversation.unchecked_field", lang, field=context.say(f"conversation.labels.{f}", lang),
                          how=context.say(f"conversation.verify.{f}", lang)) for f in fields]
    return "\n".join(lines)
