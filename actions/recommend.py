"""action_recommend: the outcome as readable text and as custom.recommendation."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from bot.render import decided_lines, sections
from bot.routing import recommend


class ActionRecommend(Action):
    def name(self) -> Text:
        return "action_recommend"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang, events = context.language(tracker)
        situation = context.situation(tracker)
        state = context.state(tracker)
        shown = json.dumps([situation.json(), lang, state["unknown"], tracker.get_slot(context.APPLICANT)])
        if state.get("shown") == shown:
            # nothing new since the answer above ("I don't know what that is" after it): not all of it again
            dispatcher.utter_message(text=context.say("chat.outcome_unchanged", lang),
                                     buttons=[{"title": context.say("handoff.button", lang), "payload": "/get_link"}])
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


def _unchecked(fields: List[str], lang: str) -> str:
    """What could not be checked, and for each what to verify."""
    labels = ", ".join(context.say(f"conversation.labels.{f}", lang) for f in fields)
    lines = [context.say("conversation.unchecked", lang, fields=labels)]
    lines += [context.say("conversation.unchecked_field", lang, field=context.say(f"conversation.labels.{f}", lang),
                          how=context.say(f"conversation.verify.{f}", lang)) for f in fields]
    return "\n".join(lines)
