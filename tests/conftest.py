import datetime
import os

import pytest

# The law is applied on a fixed day in every test.
TODAY = datetime.date(2026, 11, 23)
os.environ["BOT_TODAY"] = TODAY.isoformat()
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
# links made by the in-process assistant (tests/walk); tests of the links set their own
os.environ.setdefault("LINK_SECRET", "tests-only-link-secret")


@pytest.fixture
def today() -> datetime.date:
    return TODAY


@pytest.fixture(scope="session")
def assistant():
    """The trained model and the real actions in this process (tests/walk/inprocess.py), loaded once."""
    from walk.inprocess import Assistant

    bot = Assistant()
    yield bot
    bot.close()
