"""Personal link tokens and QR codes (contract section 5), and the credentials a channel needs."""

import base64
import datetime
import io
import json
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image

from bot import links
from bot.routing import Situation
from bot.web.app import create_app
from connectors import credentials

ROOT = Path(__file__).resolve().parents[1]
SECRET = "test-secret-one"
WORKER = Situation(
    procedure="temporary_residence",
    citizenship="IN",
    purpose="work",
    in_poland=True,
    permit_expires="2026-12-31",
    minor=False,
    has_pesel=True,
    has_trusted_profile=True,
)


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("LINK_SECRET", SECRET)
    monkeypatch.delenv("LINK_TTL_DAYS", raising=False)


def test_a_token_gives_back_the_situation_language_and_day(today):
    token = links.make_token(WORKER, "uk", today)
    data = links.read_token(token)
    assert (data.situation, data.language, data.today) == (WORKER, "uk", today)


def test_a_token_carries_no_readable_personal_data(today, monkeypatch):
    # a fixed IV and time, so that a random ciphertext cannot spell "IN" by chance on one run in twenty
    import cryptography.fernet

    monkeypatch.setattr(cryptography.fernet.os, "urandom", lambda n: bytes(range(n)))
    token = links.make_token(WORKER, "en", today, now=1_790_000_000)
    monkeypatch.undo()
    monkeypatch.setenv("LINK_SECRET", SECRET)
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    epoch_days = str((WORKER.permit_expires - datetime.date(1970, 1, 1)).days).encode()
    for visible in (b"IN", b"temporary", b"work", b"2026", epoch_days, b"true"):
        assert visible not in raw and visible not in token.encode()
    assert links.make_token(WORKER, "en", today) != token  # a fresh IV each time: tokens cannot be compared


def test_an_altered_token_is_refused(today):
    token = links.make_token(WORKER, "en", today)
    middle = len(token) // 2
    altered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    for bad in (altered, token[:-4], token + "x", "", "not-a-token", token.upper()):
        with pytest.raises(links.LinkError):
            links.read_token(bad)


def test_another_secret_cannot_read_or_forge_a_token(today):
    forged = links.make_token(WORKER, "en", today, secret="someone-else")
    with pytest.raises(links.LinkError):
        links.read_token(forged)


def test_links_expire_after_thirty_days_by_default_and_the_setting_changes_it(today, monkeypatch):
    made = time.time()
    token = links.make_token(WORKER, "en", today, now=made)
    assert links.read_token(token, now=made + 29.9 * 86400)
    with pytest.raises(links.LinkExpired):
        links.read_token(token, now=made + 30 * 86400 + 1)
    monkeypatch.setenv("LINK_TTL_DAYS", "7")
    short = links.make_token(WORKER, "en", today, now=made)
    with pytest.raises(links.LinkExpired):
        links.read_token(short, now=made + 7 * 86400 + 1)
    # the expiry is sealed in the token: changing the setting later does not stretch old links
    monkeypatch.setenv("LINK_TTL_DAYS", "90")
    with pytest.raises(links.LinkExpired):
        links.read_token(short, now=made + 8 * 86400)


def test_the_link_and_its_qr_codes(today, monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://assistant.example.org/")
    link = links.link_for(WORKER, "pl", today)
    assert link["url"].startswith("https://assistant.example.org/l/")
    assert (link["qr_png"], link["qr_svg"]) == (link["url"] + ".png", link["url"] + ".svg")
    code = links.qr_code(link["url"])
    assert code.version <= 12, f"QR version {code.version}: the token grew; phones scan small codes better"
    png = Image.open(io.BytesIO(links.qr_png(link["url"])))
    assert png.format == "PNG" and png.size[0] == png.size[1] == (code.modules_count + 8) * 8
    assert links.qr_svg(link["url"]).lstrip().startswith(b"<?xml")


def test_the_secret_file_is_made_once_private_and_reused(tmp_path):
    path = tmp_path / "run" / "link_secret"
    first = links.ensure_secret_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert links.ensure_secret_file(path) == first and len(first) == 44
    assert links.read_token(links.make_token(WORKER, "en", datetime.date(2026, 11, 23), secret=first), secret=first)


def test_a_missing_secret_is_an_error_not_a_default(monkeypatch, today):
    monkeypatch.delenv("LINK_SECRET")
    with pytest.raises(RuntimeError, match="LINK_SECRET"):
        links.make_token(WORKER, "en", today)


def test_the_secret_and_run_dir_stay_out_of_git():
    ignored = subprocess.run(
        ["git", "check-ignore", "run/link_secret", "node_modules/x"], cwd=ROOT, capture_output=True, text=True
    )
    assert ignored.stdout.split() == ["run/link_secret", "node_modules/x"]


# Several web instances --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(secret: str):
    port = _free_port()
    env = {**os.environ, "LINK_SECRET": secret}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()[-2000:]
            time.sleep(0.2)
    process.kill()
    raise TimeoutError("web service did not start")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


async def test_a_link_made_by_one_instance_opens_on_another_with_the_same_secret(today):
    # instance A (in this process) makes the link through the staff page, as a helpline would
    async with TestClient(TestServer(create_app())) as first:
        form = {f"a.{k}": json.dumps(v, default=str) for k, v in WORKER.dict(exclude_none=True).items()}
        page = await (await first.post("/staff/link", data={**form, "caller": "en"})).text()
    token = page.split("/l/")[1].split('"')[0]
    same, same_port = _serve(SECRET)
    other, other_port = _serve("a-different-secret")
    try:
        assert _status(f"http://127.0.0.1:{same_port}/l/{token}") == 200
        assert _status(f"http://127.0.0.1:{same_port}/l/{token}.png") == 200
        assert _status(f"http://127.0.0.1:{other_port}/l/{token}") == 404
    finally:
        for process in (same, other):
            process.terminate()
            process.wait(timeout=20)


# Channel credentials ----------------------------------------------------------------------------


def test_a_channel_is_on_only_when_all_its_variables_are_set(tmp_path):
    nothing = credentials.effective({})
    assert set(nothing) == {"connectors.rest.RestInput", "connectors.socketio.SocketIOInput"}
    half = credentials.effective({"TELEGRAM_TOKEN": "1:x", "TELEGRAM_VERIFY": "bot", "FB_VERIFY": "v"})
    assert set(half) == {"connectors.rest.RestInput", "connectors.socketio.SocketIOInput"}
    env = {
        "TELEGRAM_TOKEN": "123:secret-token",
        "TELEGRAM_VERIFY": "bot",
        "TELEGRAM_WEBHOOK_URL": "https://x/y",
        "FB_VERIFY": "v",
        "FB_SECRET": "s3cr3t",
        "FB_PAGE_ACCESS_TOKEN": "page-token",
    }
    written = credentials.write(env, tmp_path / "credentials.yml")
    text = written.read_text()
    assert set(yaml.safe_load(text)) == {
        "connectors.rest.RestInput",
        "connectors.socketio.SocketIOInput",
        "connectors.telegram.TelegramInput",
        "connectors.messenger.MessengerInput",
    }
    # the file keeps ${VARIABLE} references: secrets are never written to disk
    assert "secret-token" not in text and "s3cr3t" not in text and "${FB_SECRET}" in text
    assert yaml.safe_load(text)["connectors.socketio.SocketIOInput"]["metadata_key"] == "customData"
