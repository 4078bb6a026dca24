"""The routing engine: which channel, whether CUKR applies, who signs with what. Free of Rasa."""

from bot.routing.engine import load_rules, recommend, text_constants
from bot.routing.models import QUESTION_ORDER, SITUATION_FIELDS, Recommendation, Situation

__all__ = ["Situation", "Recommendation", "recommend", "load_rules", "text_constants", "QUESTION_ORDER", "SITUATION_FIELDS"]
