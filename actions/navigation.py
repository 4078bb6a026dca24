"""Going back, starting over and stopping (bot.conversation.navigation decides)."""

from actions.conversation import step_action

ActionGoBack = step_action("ActionGoBack", "action_go_back", "back")
ActionStartOver = step_action("ActionStartOver", "action_start_over", "start_over")
ActionStop = step_action("ActionStop", "action_stop", "stop")
