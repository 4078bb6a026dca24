"""action_handoff, "Get my checklist": the personal link and its QR code, channel by channel.

Every channel gets the plain URL in the text. REST and Socket.IO also get `custom.link`
{url, qr_png, qr_svg} (contract section 3) and the QR code as `image`; Telegram gets the QR
code as a photo and Messenger as an image attachment (their connectors turn `image` into those).
Messenger and Telegram get no `custom`: they would send it to the platform as a raw message
(actions/conversation.py, CUSTOM_CHANNELS). bot.conversation.outcome.handoff decides when the link comes.
"""

from actions.conversation import step_action

ActionHandoff = step_action("ActionHandoff", "action_handoff", "handoff")
