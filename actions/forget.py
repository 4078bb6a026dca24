""" "Forget me": confirm in the user's language; the tracker store deletes the conversation.

The deletion itself happens in connectors/tracker_store.py when it saves this turn: deleting from
here would be undone by Rasa's end-of-turn save, which appends whatever it cannot find stored.
"""

from actions.conversation import step_action

#: the store looks for this name (connectors.tracker_store.FORGET_ACTION)
FORGET_ACTION = "action_forget_me"

ActionForgetMe = step_action("ActionForgetMe", FORGET_ACTION, "forget")
