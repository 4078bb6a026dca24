"""Personal links (contract section 5): a Situation sealed into a URL token, and its QR code.

The token is a Fernet token (AES-128-CBC + HMAC-SHA256 from the `cryptography` package): nobody
can read the situation in it, and a changed byte makes it invalid. Its plaintext is compact JSON
(short keys, days since 1970 for dates) so that the URL, and therefore the QR code, stays small.
The expiry is sealed inside, so changing LINK_TTL_DAYS later does not stretch old links.
Any web instance with the same LINK_SECRET opens any link; nothing is stored on the server.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import json
import os
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Dict, Optional

import qrcode
import qrcode.image.svg
from cryptography.fernet import Fernet, InvalidToken
from pydantic import ValidationError

from bot import i18n
from bot.routing import Situation

DEFAULT_TTL_DAYS = 30
PAYLOAD_VERSION = 1
EPOCH = datetime.date(1970, 1, 1)
#: Short names for the Situation fields inside a token; an unlisted field keeps its full name.
SHORT = {
    "procedure": "p",
    "purpose": "u",
    "in_poland": "i",
    "citizenship": "c",
    "ukr_status": "k",
    "ukr_status_since": "s",
    "ukr_status_on_2025_06_04": "o",
    "minor": "m",
    "has_pesel": "e",
    "has_trusted_profile": "t",
    "has_qualified_signature": "q",
    "permit_expires": "x",
}
LONG = {short: name for name, short in SHORT.items()}
DATE_FIELDS = {
    name
    for name, f in Situation.__fields__.items()
    if isinstance(f.outer_type_, type) and issubclass(f.outer_type_, datetime.date)
}


class LinkError(Exception):
    """The token is not one of ours (forged, altered, truncated): 404."""


class LinkExpired(Exception):
    """A genuine token whose time is over: 410."""


@dataclass(frozen=True)
class LinkData:
    situation: Situation
    language: str
    today: datetime.date
    expires: datetime.datetime


def ttl_days() -> int:
    value = os.environ.get("LINK_TTL_DAYS", "")
    return int(value) if value.strip().isdigit() and int(value) > 0 else DEFAULT_TTL_DAYS


def key_from_secret(secret: str) -> bytes:
    """A Fernet key from any secret string: a Fernet key is used as is, anything else is hashed."""
    raw = secret.strip().encode()
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32:
            return raw
    except (ValueError, TypeError):
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest())


def secret_from_env() -> str:
    secret = os.environ.get("LINK_SECRET", "")
    if not secret.strip():
        raise RuntimeError("LINK_SECRET is not set: `make run` creates one in run/link_secret")
    return secret


def ensure_secret_file(path: Path) -> str:
    """The secret in `path`, created (readable by the owner only) on first use. Never logged."""
    if path.exists() and path.read_text().strip():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = Fernet.generate_key().decode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret + "\n")
    return secret


def _fernet(secret: Optional[str]) -> Fernet:
    return Fernet(key_from_secret(secret if secret is not None else secret_from_env()))


def _enum_values(name: str) -> Optional[list]:
    kind = Situation.__fields__[name].outer_type_ if name in Situation.__fields__ else None
    return [member.value for member in kind] if isinstance(kind, type) and issubclass(kind, Enum) else None


def _pack(situation: Situation, language: str, today: datetime.date, expires_at: int) -> bytes:
    # Enum values travel as their position in the enum (new values go at the end, or the
    # version goes up), dates as days since 1970: a short URL, a small QR code.
    fields: Dict[str, Any] = {}
    for name, value in situation.dict(exclude_none=True).items():
        values = _enum_values(name)
        if values is not None:
            value = values.index(value)
        elif isinstance(value, datetime.date):
            value = (value - EPOCH).days
        fields[SHORT.get(name, name)] = value
    body = [PAYLOAD_VERSION, language, (today - EPOCH).days, expires_at, fields]
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _unpack(plain: bytes) -> LinkData:
    try:
        version, language, today_days, expires_at, fields = json.loads(plain)
        if version != PAYLOAD_VERSION:
            raise LinkError("unknown token version")
        values = {}
        for short, value in fields.items():
            name = LONG.get(short, short)
            enum_values = _enum_values(name)
            if enum_values is not None:
                value = enum_values[value]
            elif name in DATE_FIELDS:
                value = EPOCH + datetime.timedelta(days=value)
            values[name] = value
        situation = Situation(**values)
        today = EPOCH + datetime.timedelta(days=int(today_days))
        expires = datetime.datetime.fromtimestamp(int(expires_at), tz=datetime.timezone.utc)
        language = i18n.normalise_language(language)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, ValidationError) as error:
        raise LinkError("malformed token") from error
    return LinkData(situation, language, today, expires)


def make_token(
    situation: Situation,
    language: str,
    today: datetime.date,
    *,
    secret: Optional[str] = None,
    now: Optional[float] = None,
    days: Optional[int] = None,
) -> str:
    now = time.time() if now is None else now
    expires_at = int(now + 86400 * (days if days is not None else ttl_days()))
    plain = _pack(situation, i18n.normalise_language(language), today, expires_at)
    return _fernet(secret).encrypt_at_time(plain, int(now)).decode()


def read_token(token: str, *, secret: Optional[str] = None, now: Optional[float] = None) -> LinkData:
    """The link's data; LinkError when it is not a genuine token, LinkExpired when it is too old."""
    try:
        plain = _fernet(secret).decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError, ValueError) as error:
        raise LinkError("invalid token") from error
    data = _unpack(plain)
    if (time.time() if now is None else now) >= data.expires.timestamp():
        raise LinkExpired(data.expires.isoformat())
    return data


def qr_code(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()


def public_base() -> str:
    """Where people open the web service: PUBLIC_URL in a deployment, else localhost:WEB_PORT."""
    return (os.environ.get("PUBLIC_URL") or f"http://localhost:{os.environ.get('WEB_PORT', '8080')}").rstrip("/")


def link_for(situation: Situation, language: str, today: datetime.date, base: Optional[str] = None) -> Dict[str, str]:
    """The hand-off: the page's URL and the addresses of its QR code images (contract section 3)."""
    base = (base or public_base()).rstrip("/")
    token = make_token(situation, language, today)
    url = f"{base}/l/{token}"
    return {"url": url, "qr_png": f"{url}.png", "qr_svg": f"{url}.svg"}
