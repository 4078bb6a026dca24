"""Rasa's check of each action-server answer, with its JSON schema compiled once instead of per call.

Rasa 3.6 (`rasa/core/actions/action.py`, `RemoteAction._validate_action_result`) calls
`jsonschema.validate(result, schema)` for every action-server answer. That function first checks
the schema itself against the JSON-Schema meta-schema and builds a new validator, every time:
about 20 to 40 ms of the Rasa server's single event-loop thread per action call on the 2-core
machine, close to half of its time under load (bench/PROFILE.md). Here the schema is checked
once and the validator kept; each answer is still validated against the same schema, by the
same validator class, and a bad answer raises the same ValidationError with Rasa's message.

Installed when Rasa loads the tracker store named in endpoints.yml (connectors/tracker_store.py),
the one module of ours every Rasa server imports before its first turn.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import validators

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)  # what jsonschema.validate picks for it
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(result))  # as jsonschema.validate does
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    """Idempotent: every Rasa process that imports the tracker store gets it once."""
    RemoteAction._validate_action_result = _validate_action_result


def installed() -> bool:
    return RemoteAction._validate_action_result is _validate_action_result
