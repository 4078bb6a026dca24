"""action_recommend: the outcome as readable text and as custom.recommendation (bot.conversation.outcome)."""

from actions.conversation import step_action

ActionRecommend = step_action("ActionRecommend", "action_recommend", "outcome")
