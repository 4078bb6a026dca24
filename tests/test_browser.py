"""A real browser (Debian's chromium through Playwright) on the running stack: the widget page to a
recommendation and the QR code, the link page and its .ics, the staff script to a link, and an
axe-core accessibility check of every page. Screenshots go to results/screenshots/."""

import json
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect, sync_playwright

from answers import own_question
from bot import i18n
from bot.routing import text_constants
from tools.stack import ROOT, Stack

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "results" / "screenshots"
AXE_REPORT = ROOT / "results" / "axe.json"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: the answer for the field a question's buttons collect; a value without a button is typed
ANSWERS = {
    "applicant": "self",
    "procedure": "temporary_residence",
    "citizenship": "IN",
    "purpose": "work",
    "in_poland": True,
    "permit_expires": "31.12.2026",
    "minor": False,
    "has_pesel": True,
    "has_trusted_profile": True,
    "has_qualified_signature": False,
    "ukr_status": False,
}
TURN_MS = 90_000  # Rasa on two busy cores


def t(key: str, lang: str = "en", **params) -> str:
    return i18n.t(key, lang, **{**text_constants(), **params})


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    assert CHROMIUM.exists(), "make test installs Debian's chromium"
    with Stack.running(tmp_path_factory.mktemp("run")) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def axe_results():
    results = {}
    yield results
    AXE_REPORT.parent.mkdir(parents=True, exist_ok=True)
    AXE_REPORT.write_text(json.dumps(results, indent=2))


def check_accessibility(page: Page, name: str, results: dict) -> None:
    violations = Axe().run(page).response["violations"]
    results[name] = {v["id"]: v["impact"] for v in violations}
    serious = [
        f'{v["id"]} ({v["impact"]}): {v["help"]} at {[n["target"] for n in v["nodes"]][:3]}'
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{name}: " + "; ".join(serious)


def base(stack: Stack) -> str:
    return f"http://localhost:{stack.web_port}"


def last_buttons(page: Page):
    return page.locator(".rw-replies").last.locator(".rw-reply")


def turn(page: Page, act) -> None:
    """Do something and wait until the bot has answered and the widget has shown every message."""
    before = page.locator(".rw-response").count()
    act()
    page.wait_for_function("n => document.querySelectorAll('.rw-response').length > n", arg=before, timeout=TURN_MS)
    settle(page)


def settle(page: Page) -> None:
    """The widget shows a reply's messages one by one, with a typing indicator between them."""
    count = -1
    while count != page.locator(".rw-response").count() or page.locator(".rw-typing-indication").count():
        count = page.locator(".rw-response").count()
        page.wait_for_timeout(2000)


def test_the_widget_to_a_recommendation_the_qr_code_and_the_link_page(stack, browser, axe_results):
    context = browser.new_context(viewport={"width": 430, "height": 900}, accept_downloads=True)
    page = context.new_page()
    outside = []
    page.on(
        "response",
        lambda r: None if r.url.startswith(("http://localhost", "http://127.0.0.1", "data:")) else outside.append(r.url),
    )
    page.goto(f"{base(stack)}/?lang=en")
    expect(page.locator(".rw-response").first).to_contain_text("MOS", timeout=TURN_MS)
    page.screenshot(path=str(SHOTS / "01-widget-greeting.png"))
    check_accessibility(page, "/", axe_results)

    turn(page, lambda: last_buttons(page).filter(has_text=t("chat.start_button")).click())
    for _ in range(15):
        buttons = last_buttons(page)
        titles = buttons.all_inner_texts()
        if t("handoff.button") in titles:
            break
        if t("conversation.confirm_yes") in titles:  # "did I understand that right?"
            turn(page, lambda: buttons.filter(has_text=t("conversation.confirm_yes")).first.click())
            continue
        question = next((text for text in reversed(page.locator(".rw-response").all_inner_texts()) if text.strip()), "")
        asks = {
            f: t("conversation.applicant_question") if f == "applicant" else own_question(f)
            for f in ANSWERS
            if f == "applicant" or i18n.has(f"questions.{f}")
        }
        field = next((f for f, text in asks.items() if text in question), None)
        if not field:
            page.screenshot(path=str(SHOTS / "unexpected-question.png"), full_page=True)
        assert field, f"unexpected question {question!r}"
        wanted = ANSWERS[field]
        label = None
        if field == "applicant":
            label = i18n.raw("conversation.applicant")[wanted]
        elif field in ("procedure", "purpose", "citizenship"):
            label = i18n.raw(f"options.{field}")[wanted]
        elif isinstance(wanted, bool):
            label = i18n.raw("options.bool")["true" if wanted else "false"]
        if label and label in titles:
            turn(page, lambda: buttons.filter(has_text=label).first.click())
        else:
            page.locator(".rw-new-message").fill(str(wanted))
            turn(page, lambda: page.locator(".rw-new-message").press("Enter"))
    else:
        raise AssertionError("no recommendation after 15 answers")
    assert t("render.channel.mos") in page.locator(".rw-messages-container").inner_text()
    page.screenshot(path=str(SHOTS / "02-widget-recommendation.png"), full_page=True)

    turn(page, lambda: last_buttons(page).filter(has_text=t("handoff.button")).click())
    qr = page.locator(".rw-image-frame, .rw-image-details img, img[src$='.png']").last
    expect(qr).to_be_visible(timeout=TURN_MS)
    link = page.locator(".rw-response a[href*='/l/']").last
    expect(link).to_be_visible(timeout=TURN_MS)
    url = link.get_attribute("href")
    assert re.fullmatch(rf"{base(stack)}/l/[A-Za-z0-9_=-]+", url), url
    page.locator(".rw-messages-container").evaluate("box => box.scrollTop = box.scrollHeight")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "03-widget-qr-code.png"), full_page=True)
    assert outside == [], "the widget page must not load anything from elsewhere (CDN, web fonts)"

    # the QR code a phone would scan: the link page, printable on one A4 page
    page.goto(url)
    expect(page.locator("h1")).to_have_text(t("link_page.title"))
    body = page.locator("main").inner_text()
    assert "31" in body and "2026" in body and "Annex 1" in body
    expect(page.locator("img[src$='.svg']")).to_be_visible()
    page.screenshot(path=str(SHOTS / "04-link-page-phone.png"), full_page=True)
    check_accessibility(page, "/l/<token>", axe_results)
    with page.expect_download() as download:
        page.locator("a[href$='.ics']").click()
    ics = Path(download.value.path()).read_text()
    assert ics.startswith("BEGIN:VCALENDAR") and "DTSTART;VALUE=DATE:20261231" in ics
    pdf = page.pdf(format="A4", print_background=True)
    (SHOTS / "05-link-page-print.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the checklist must print on one A4 page"
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / "05-link-page-print.png"), full_page=True)
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 430, "height": 900})

    page.goto(f"{url}/employer")
    expect(page.locator("section[lang='pl'] h1")).to_be_visible()
    page.screenshot(path=str(SHOTS / "06-employer-page.png"), full_page=True)
    check_accessibility(page, "employer page", axe_results)
    context.close()


def test_the_staff_script_to_a_recommendation_and_a_link(stack, browser, axe_results):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base(stack)}/staff?lang=en")
    check_accessibility(page, "/staff", axe_results)
    page.select_option("#caller", "uk")
    with page.expect_navigation():
        page.get_by_role("button", name=t("staff.change_language"), exact=True).click()
    for _ in range(15):
        question = page.locator("[data-field]")
        if not question.count():
            break
        field = question.get_attribute("data-field")
        assert own_question(field, "uk") in question.inner_text()
        wanted = ANSWERS[field]
        button = page.locator(f"button[name='set'][value='/inform{json.dumps({field: wanted})}']")
        with page.expect_navigation():  # each answer is a form POST: wait for the next page
            if button.count():
                button.click()
            else:
                value = "2026-12-31" if field == "permit_expires" else str(wanted)
                page.locator("#value").fill(value)
                page.get_by_role("button", name=t("staff.submit_value"), exact=True).click()
        if field == "in_poland":
            page.screenshot(path=str(SHOTS / "07-staff-midway.png"), full_page=True)
    else:
        raise AssertionError("the script did not reach a recommendation")
    expect(page.locator("#h-rec")).to_have_text(t("staff.recommendation"))
    with page.expect_navigation():
        page.locator("#make-link").click()
    link = page.locator("#caller-link")
    expect(link).to_be_visible()
    page.screenshot(path=str(SHOTS / "08-staff-recommendation-and-link.png"), full_page=True)
    check_accessibility(page, "/staff (recommendation)", axe_results)
    page.goto(link.get_attribute("href"))
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    page.goto(f"{base(stack)}/rules")
    check_accessibility(page, "/rules", axe_results)
    page.screenshot(path=str(SHOTS / "09-rules.png"))
    context.close()
