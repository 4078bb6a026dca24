"""HTML pages: the widget page, the personal link page (+ QR, .ics, employer page), /rules.

Rendered with Jinja2 through aiohttp-jinja2 with autoescaping on, so nothing a user typed or a
token carried is ever written into a page unescaped. Every text comes from the catalogs.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any, Callable, Dict, Optional

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot import i18n, links
from bot.render import decided_lines, summary_lines
from bot.routing import load_rules, recommend, text_constants
from bot.web import calendar

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
WEBCHAT_JS = ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.js"
RASA_PUBLIC_URL = web.AppKey("rasa_public_url", str)


def today() -> datetime.date:
    """The date the law is applied on; BOT_TODAY pins it (tests, staff training)."""
    pinned = os.environ.get("BOT_TODAY")
    return datetime.date.fromisoformat(pinned) if pinned else datetime.date.today()


def page_language(request: web.Request, default: Optional[str] = None) -> str:
    """?lang=, else the given default (a link's language), else the browser's, else English."""
    asked = request.query.get("lang")
    if asked and asked[:2].lower() in i18n.SUPPORTED_LANGUAGES:
        return asked[:2].lower()
    if default:
        return i18n.normalise_language(default)
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in i18n.SUPPORTED_LANGUAGES:
            return code
    return i18n.DEFAULT_LANGUAGE


def translator(language: str) -> Callable[..., str]:
    constants = text_constants()

    def t(key: str, **params: Any) -> str:
        return i18n.t(key, language, **{**constants, **params})

    return t


def base_context(request: web.Request, language: str) -> Dict[str, Any]:
    return {
        "lang": language,
        "t": translator(language),
        "languages": i18n.SUPPORTED_LANGUAGES,
        "language_names": {code: i18n.t("language_name", code) for code in i18n.SUPPORTED_LANGUAGES},
        "path": request.path,
        "date": lambda day: i18n.format_value(day, language),
    }


def render(name: str, request: web.Request, context: Dict[str, Any], status: int = 200) -> web.Response:
    answer = aiohttp_jinja2.render_template(name, request, context, status=status)
    answer.headers["Content-Language"] = context["lang"]
    return answer


async def index(request: web.Request) -> web.Response:
    lang = page_language(request)
    context = base_context(request, lang)
    context.update(socket_url=request.app[RASA_PUBLIC_URL], widget_ready=WEBCHAT_JS.exists())
    return render("index.html", request, context)


async def webchat_js(request: web.Request) -> web.StreamResponse:
    if not WEBCHAT_JS.exists():
        raise web.HTTPServiceUnavailable(reason="the chat widget is not installed: run `make install`")
    return web.FileResponse(
        WEBCHAT_JS, headers={"Content-Type": "application/javascript", "Cache-Control": "public, max-age=86400"}
    )


# Personal links ------------------------------------------------------------------------------


def _open(request: web.Request) -> links.LinkData:
    token = request.match_info["token"]
    try:
        return links.read_token(token)
    except links.LinkExpired as expired:
        lang = page_language(request)
        context = base_context(request, lang)
        context["expires"] = datetime.datetime.fromisoformat(str(expired)).date()
        raise _page_error("gone.html", request, context, web.HTTPGone)
    except links.LinkError:
        context = base_context(request, page_language(request))
        raise _page_error("not_found.html", request, context, web.HTTPNotFound)


def _page_error(name: str, request: web.Request, context: Dict[str, Any], kind: type) -> web.HTTPException:
    body = aiohttp_jinja2.render_string(name, request, context)
    return kind(text=body, content_type="text/html", headers={"Content-Language": context["lang"]})


def _link_url(request: web.Request) -> str:
    return f"{links.public_base()}/l/{request.match_info['token']}"


async def link_page(request: web.Request) -> web.Response:
    data = _open(request)
    lang = page_language(request, data.language)
    rec = recommend(data.situation, data.today, lang)
    context = base_context(request, lang)
    context.update(
        token=request.match_info["token"],
        rec=rec,
        url=_link_url(request),
        today=data.today,
        expires=data.expires.date(),
        summary=summary_lines(rec) if not rec.missing else decided_lines(rec),
        missing=[i18n.t(f"staff.field.{f}", lang) if i18n.has(f"staff.field.{f}", lang) else f for f in rec.missing],
        deadlines=calendar.deadlines(rec, data.situation, lang),
        employer=rec.employer_action in ("annex_1_link", "university_annex_link"),
    )
    return render("link.html", request, context)


async def link_png(request: web.Request) -> web.Response:
    _open(request)
    return web.Response(
        body=links.qr_png(_link_url(request)), content_type="image/png", headers={"Cache-Control": "private, max-age=3600"}
    )


async def link_svg(request: web.Request) -> web.Response:
    _open(request)
    return web.Response(
        body=links.qr_svg(_link_url(request)),
        content_type="image/svg+xml",
        headers={"Cache-Control": "private, max-age=3600"},
    )


async def link_ics(request: web.Request) -> web.Response:
    data = _open(request)
    lang = page_language(request, data.language)
    rec = recommend(data.situation, data.today, lang)
    body = calendar.ics(calendar.deadlines(rec, data.situation, lang), _link_url(request), lang, data.today)
    return web.Response(
        body=body,
        content_type="text/calendar",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="mos-deadlines.ics"'},
    )


async def employer_page(request: web.Request) -> web.Response:
    data = _open(request)
    lang = page_language(request, data.language)
    rec = recommend(data.situation, data.today, "en")
    context = base_context(request, lang)
    # the employer reads Polish; English beside it for everyone else
    context.update(
        pl=translator("pl"),
        en=translator("en"),
        action=rec.employer_action,
        token=request.match_info["token"],
        sources=[r for r in rec.rules if r.id.startswith("R-EM")],
    )
    return render("employer.html", request, context)


# For reviewers ---------------------------------------------------------------------------------


async def rules_page(request: web.Request) -> web.Response:
    lang = page_language(request)
    book = load_rules()
    rules = [
        {
            "id": r.id,
            "title": r.title,
            "legal_basis": r.legal_basis,
            "confirmed": r.confirmed,
            "status": r.status,
            "sources": [url for s in r.sources for url in book.sources[s]],
        }
        for r in book.all_rules()
        if not r.silent
    ]
    context = base_context(request, lang)
    context["rules"] = rules
    return render("rules.html", request, context)


@web.middleware
async def page_headers(request: web.Request, handler: Any) -> web.StreamResponse:
    """A personal link must not leak through the Referer header, be cached by others, or be framed."""
    try:
        answer = await handler(request)
    except web.HTTPException as error:
        answer = error
        if request.path.startswith("/l/"):
            answer.headers["Cache-Control"] = "no-store"
        answer.headers["Referrer-Policy"] = "no-referrer"
        raise
    answer.headers.setdefault("Referrer-Policy", "no-referrer")
    answer.headers.setdefault("X-Content-Type-Options", "nosniff")
    answer.headers.setdefault("X-Frame-Options", "DENY")
    if request.path.startswith(("/l/", "/staff")):
        answer.headers["Cache-Control"] = "no-store"
        answer.headers["X-Robots-Tag"] = "noindex"
    if answer.content_type == "text/html":
        answer.headers.setdefault("Content-Security-Policy", _policy(request.app[RASA_PUBLIC_URL]))
    return answer


def _policy(rasa_url: str) -> str:
    """Scripts, styles, fonts and images from this service only (the widget's stylesheet would
    fetch a web font from Google otherwise); the browser may talk to Rasa's Socket.IO."""
    socket = rasa_url.replace("https://", "wss://").replace("http://", "ws://")
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        f"font-src 'self' data:; connect-src 'self' {rasa_url} {socket}; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def setup(app: web.Application, rasa_public_url: str) -> None:
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
    )
    app[RASA_PUBLIC_URL] = rasa_public_url
    app.router.add_get("/", index)
    app.router.add_get("/static/vendor/webchat.js", webchat_js)
    app.router.add_static("/static", str(HERE / "static"))
    app.router.add_get("/rules", rules_page)
    app.router.add_get(r"/l/{token:[^{}/.]+}.png", link_png)
    app.router.add_get(r"/l/{token:[^{}/.]+}.svg", link_svg)
    app.router.add_get(r"/l/{token:[^{}/.]+}.ics", link_ics)
    app.router.add_get(r"/l/{token:[^{}/.]+}/employer", employer_page)
    app.router.add_get(r"/l/{token:[^{}/.]+}", link_page)
