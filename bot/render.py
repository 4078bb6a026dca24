"""A Recommendation as text for a person: chat, CLI and the staff script share it."""

from __future__ import annotations

from typing import List

from bot import i18n
from bot.routing.engine import text_constants
from bot.routing.models import Recommendation


def _channel_line(rec: Recommendation, lang: str) -> str:
    authority = i18n.t("render.authority." + rec.authority.replace(".", "_"), lang) if rec.authority else ""
    key = rec.channel if rec.channel in ("mos", "paper", "other") else "none"
    return i18n.t(f"render.channel.{key}", lang, authority=authority)


def summary_lines(rec: Recommendation) -> List[str]:
    """The decision in a few lines: channel, CUKR, who signs with what, the employer, fees."""
    lang = rec.language
    if rec.missing:
        # the person's words for the facts, not the field names
        fields = ", ".join(i18n.t(f"conversation.labels.{field}", lang, **text_constants()) for field in rec.missing)
        return [i18n.t("render.missing", lang, fields=fields)]
    lines = [_channel_line(rec, lang)]
    if rec.cukr_eligible is not None and rec.cukr_shown:
        lines.append(i18n.t(f"render.cukr.{str(rec.cukr_eligible).lower()}", lang))
    if rec.signer and rec.signature_options:
        lines.append(i18n.t(f"render.signer.{rec.signer}", lang))
        options = " / ".join(i18n.t(f"render.signature.{o}", lang) for o in rec.signature_options)
        lines.append(i18n.t("render.signature_options", lang, options=options))
    if rec.employer_action:
        lines.append(i18n.t(f"render.employer.{rec.employer_action}", lang))
    fees = []
    if rec.fees.stamp_duty_pln:
        fees.append(i18n.t("render.stamp_duty", lang, amount=rec.fees.stamp_duty_pln))
    if rec.fees.card_fee_pln:
        fees.append(i18n.t("render.card_fee", lang, amount=rec.fees.card_fee_pln))
    if fees:
        lines.append(i18n.t("render.fees", lang, fees=" + ".join(fees)))
    return lines


def sections(rec: Recommendation, with_sources: bool = True) -> List[str]:
    """The recommendation as a few short texts: decision, next steps, warnings, legal basis.

    Chat channels send them as separate messages (Telegram caps one message at 4096 characters).
    """
    lang = rec.language
    parts = ["\n".join(summary_lines(rec))]
    if rec.steps:
        parts.append(i18n.t("render.steps", lang) + "\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(rec.steps, 1)))
    if rec.warnings:
        parts.append(i18n.t("render.warnings", lang) + "\n" + "\n".join(f"! {w}" for w in rec.warnings))
    if with_sources and rec.rules:
        marker = i18n.t("render.unconfirmed_marker", lang)
        lines = [
            f"- {r.id}: {r.title}{'' if r.confirmed else ' ' + marker} ({r.legal_basis}) {r.sources[0]}" for r in rec.rules
        ]
        parts.append(i18n.t("render.sources", lang) + "\n" + "\n".join(lines))
    return parts


def as_text(rec: Recommendation, with_sources: bool = True) -> str:
    return "\n\n".join(sections(rec, with_sources))


def decided_lines(rec: Recommendation) -> List[str]:
    """Each part already decided, also while other facts are still `missing` (the staff script)."""
    lang = rec.language
    lines = []
    if rec.channel or rec.authority:
        lines.append(_channel_line(rec, lang))
    if rec.cukr_eligible is not None and rec.cukr_shown:
        lines.append(i18n.t(f"render.cukr.{str(rec.cukr_eligible).lower()}", lang))
    if rec.signer:
        lines.append(i18n.t(f"render.signer.{rec.signer}", lang))
    if rec.signature_options:
        options = " / ".join(i18n.t(f"render.signature.{o}", lang) for o in rec.signature_options)
        lines.append(i18n.t("render.signature_options", lang, options=options))
    if rec.employer_action and i18n.has(f"render.employer.{rec.employer_action}", lang):
        lines.append(i18n.t(f"render.employer.{rec.employer_action}", lang))
    return lines
