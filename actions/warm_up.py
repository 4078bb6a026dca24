"""Loads the language data of typed-answer understanding when the action server starts.

rasa-sdk imports every module of the actions package before it starts listening, so this runs
once per action-server start, in parallel with Rasa's model load. Without it the first typed
answer in each language waited for simplemma's and dateparser's data: measured on the 2-core
machine under load, 2.1 s for English and 17.8 s for Polish, against under 1 ms afterwards.
ACTIONS_WARM_UP=0 skips it (unit tests that only register the actions).
"""

import os

from bot.understanding import warm_up

if os.environ.get("ACTIONS_WARM_UP", "1") != "0":
    warm_up()
