import datetime
import os

import pytest

# The law is applied on a fixed day in every test.
TODAY = datetime.date(2026, 11, 23)
os.environ["BOT_TODAY"] = TODAY.isoformat()
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture
def today() -> datetime.date:
    return TODAY
