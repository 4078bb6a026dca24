"""The dialogue core, free of Rasa: `turn(state, message, today) -> (state, replies)`.

state.py      what is remembered between messages (State) and what a message brings (Message)
reply.py      what a turn gives back: Say (text + buttons), Outcome, Link, Pass, ToQuestions
turn.py       one message: the language, then the step the dialogue rules chose
form.py       the questions: what a message answers, what to confirm, when to give up, what next
reading.py    what one message gives (facts, whom it is about, "I don't know", "why?")
asks.py       each question with its buttons; side.py the side answers; navigation.py back/start/stop
outcome.py    the recommendation and the link; text.py how values read; parsing.py one-question parsers
"""

from bot.conversation.reply import Link, Outcome, Pass, Say, ToQuestions
from bot.conversation.state import APPLICANT, CONFIRM, STATE, Message, State
from bot.conversation.turn import turn

__all__ = ["turn", "State", "Message", "Say", "Outcome", "Link", "Pass", "ToQuestions", "APPLICANT", "CONFIRM", "STATE"]
