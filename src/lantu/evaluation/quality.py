"""Source-quality marks: the one helper every view uses to say how good the source of a verdict
number is — a badge on the pages (``d.quality`` in ``dashboard/_dash.html`` calls
:func:`quality_badge`), a one-character mark in documents' tables with its legend below
(:func:`quality_mark`, :func:`legend_note`).

The codes and their order are the domain's (:data:`lantu.domain.SOURCE_QUALITIES`: official
statistics, official report, official other, third party, none); the words are the locale's
(``quality.<code>``, ``quality.<code>.help``, ``quality.<code>.mark``).

Examples
--------
>>> quality_badge("official_report", "zh")["label"], quality_mark("third_party", "zh")
('工作报告', '三')
>>> weakest("official_statistics", None, "third_party")
'third_party'
"""

from __future__ import annotations

from collections.abc import Iterable

from lantu.domain.observations import SOURCE_QUALITIES, quality_rank
from lantu.locale import translate


def quality_badge(code: str | None, lang: str) -> dict[str, str] | None:
    """``{"code", "label", "help", "mark"}`` of a source quality; ``None`` without one (a number
    with no observation behind it, e.g. a computed share, says so elsewhere)."""
    if not code or code not in SOURCE_QUALITIES:
        return None
    return {"code": code, "label": translate(lang, f"quality.{code}"),
            "help": translate(lang, f"quality.{code}.help"),
            "mark": translate(lang, f"quality.{code}.mark")}


def quality_mark(code: str | None, lang: str = "zh") -> str:
    """The short mark of a quality for a document's table cell (``""`` without one)."""
    badge = quality_badge(code, lang)
    return badge["mark"] if badge else ""


def weakest(*codes: str | None) -> str | None:
    """The weakest of the given qualities (a number computed from several figures is as good as
    its weakest source); ``None`` when none is given."""
    known = [c for c in codes if c in SOURCE_QUALITIES]
    return min(known, key=quality_rank) if known else None


def legend(lang: str, codes: Iterable[str | None] | None = None) -> list[dict[str, str]]:
    """The badges of ``codes`` (default: every quality), best first."""
    wanted = set(SOURCE_QUALITIES if codes is None else [c for c in codes if c])
    out = [quality_badge(c, lang) for c in SOURCE_QUALITIES if c in wanted]
    return [b for b in out if b]


def legend_note(codes: Iterable[str | None], lang: str = "zh") -> str:
    """The legend line under a document's table: the marks used and what they mean."""
    items = legend(lang, codes)
    if not items:
        return ""
    sep, eq = ("；", "＝") if lang == "zh" else ("; ", " = ")
    body = sep.join(f"{b['mark']}{eq}{b['label']}" for b in items)
    return translate(lang, "quality.legend_note", marks=body)


def cell(value_text: str, code: str | None, lang: str = "zh") -> str:
    """A document's table cell: the number and its quality mark (``3.8〔报〕``)."""
    mark = quality_mark(code, lang)
    return f"{value_text}〔{mark}〕" if mark and lang == "zh" else \
        f"{value_text} [{mark}]" if mark else value_text


__all__ = ["cell", "legend", "legend_note", "quality_badge", "quality_mark", "weakest"]
