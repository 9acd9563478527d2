"""The page at a glance in words and HTML: what the report opens on.

:func:`texts` words a run folder's ``glance.json`` (written by 07, :mod:`helpers.method.glance`)
in the reader's language: KPI tiles, goals with their status, the three findings that matter
and the next actions (the findings' and actions' sentences are the ones the pages write, from
``findings.json`` and ``actions.json``). :func:`render_html` draws it: tiles in a CSS grid, each
with an inline SVG sparkline (no script, nothing fetched), one column at phone width; the styles
are ``.wb-glance`` in ``templates/client.css``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import kpis
from helpers.client import snapshot
from helpers.client.brief import Brief
from helpers.method.glance import TOTAL
from helpers.method.observation import TREND_MONTHS
from helpers.report.display import escape
from helpers.report.i18n import fmt_date, fmt_percent, fmt_window, format_value, label, t, unknown
from helpers.report.pages.common import action_text
from helpers.report.words import finding_text
from helpers.run.artefacts import file_of

#: The class of a change by what it means (better, worse, neither or unknown).
CHANGE_CSS = {True: "wb-ok", False: "wb-bad", None: "wb-muted"}
#: The class of each goal status (as the tracking page colours them).
STATUS_CSS = {
    "on_track": "wb-ok", "ahead": "wb-ok", "achieved": "wb-ok", "reached": "wb-ok",
    "behind": "wb-warn", "at_risk": "wb-warn", "missed": "wb-bad",
}  # fmt: skip
#: A sparkline's drawing box, in CSS pixels: a total's and a network's.
SPARK_SIZE = {"total": (72, 22), "network": (64, 16)}


class GlanceError(ValueError):
    """A run folder's ``glance.json`` (or a file it points to) cannot be read."""


@dataclass(frozen=True)
class _Speaker:
    """What :func:`helpers.report.pages.common.action_text` needs of a run to word an action."""

    lang: str
    brief: Brief

    def t(self, key: str, **values: Any) -> str:
        return t(key, self.lang, **values)

    def kpi(self, kpi_id: str) -> kpis.KpiDef:
        return kpis.for_conventions(kpi_id, self.brief.kpi)


def _read(run_dir: Path, name: str) -> Any:
    path = run_dir / file_of(name)
    if not path.is_file():
        raise GlanceError(f"{path} not found: run 07_tracking for this run folder first")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise GlanceError(f"{path}: not valid JSON ({exc})") from None


def _brief(run_dir: Path) -> tuple[Brief, dict]:
    meta = snapshot.read_meta(run_dir)
    if meta is None:
        raise GlanceError(f"{run_dir}: no snapshot of the client's data (tables/snapshot.json)")
    return Brief.model_validate(meta["brief"]), meta["period"]


def _change(change: Any, lang: str) -> str:
    return unknown(lang) if change is None else fmt_percent(change, lang, 0, signed=True)


def texts(run_dir: Path, lang: str) -> dict[str, Any]:
    """The page at a glance of a run folder in words of ``lang``.

    Returns:
        ``{"title", "period", "windows", "tiles": [{"scope", "name", "value", "change", "better",
        "spark"}], "goals": [{"label", "status", "status_code"}], "findings": [str],
        "actions": [str]}``: every string in ``lang``, an unknown figure written as unknown
        (``n.d.`` / ``n/a``), the spark's unknown months ``None``.

    Raises:
        GlanceError: ``glance.json``, a file it points to or the snapshot is missing or unreadable,
            or it names a finding or an action those files do not hold.
    """
    run_dir = Path(run_dir)
    data = _read(run_dir, "glance")
    brief, period = _brief(run_dir)
    currency = brief.client.currency
    windows = data["windows"]
    recent, before = windows["recent"], windows["before"]
    if recent["start"] and before["start"]:
        first, last = dt.date.fromisoformat(recent["start"]), dt.date.fromisoformat(recent["end"])
        window_text = t(
            "glance.windows",
            lang,
            months=(last.year - first.year) * 12 + last.month - first.month + 1,
            recent=fmt_window(recent["start"], recent["end"], lang),
            before=fmt_window(before["start"], before["end"], lang),
        )
    else:
        window_text = t("glance.no_windows", lang, months=TREND_MONTHS)
    tiles = []
    for tile in data["tiles"]:
        record = kpis.for_conventions(tile["kpi"], brief.kpi)
        value = math.nan if tile["value"] is None else tile["value"]
        tiles.append(
            {
                "scope": t("glance.total", lang)
                if tile["scope"] == TOTAL
                else label("channel", tile["scope"], lang),
                "name": record.name(lang),
                "value": format_value(record, value, lang, currency=currency),
                "change": _change(tile["change"], lang),
                "better": tile["better"],
                "spark": [None if p["value"] is None else float(p["value"]) for p in tile["spark"]],
            }
        )
    goals = [
        {"label": g["label"], "status": label("status", g["status"], lang), "status_code": g["status"]}
        for g in data["goals"]
    ]
    findings = {str(f["id"]): f for f in _read(run_dir, "findings")}
    missing = [i for i in data["findings"] if i not in findings]
    if missing:
        raise GlanceError(f"{run_dir / file_of('glance')}: findings {missing} are not in findings.json")
    actions = _read(run_dir, "actions")
    if any(not 0 <= i < len(actions) for i in data["actions"]):
        raise GlanceError(
            f"{run_dir / file_of('glance')}: action indices {data['actions']} outside actions.json "
            f"({len(actions)} actions)"
        )
    speaker = _Speaker(lang, brief)
    return {
        "title": t("glance.title", lang, client=brief.client.name),
        "period": t(
            "report.period",
            lang,
            start=fmt_date(dt.date.fromisoformat(period["start"]), lang),
            end=fmt_date(dt.date.fromisoformat(period["end"]), lang),
        ),
        "windows": window_text,
        "tiles": tiles,
        "goals": goals,
        "findings": [finding_text(findings[i], lang, brief.kpi) for i in data["findings"]],
        "actions": [action_text(speaker, actions[i]) for i in data["actions"]]
        or [t("tracking.no_action", lang)],
    }


def sparkline(values: list[float | None], width: int, height: int) -> str:
    """An inline SVG line of ``values`` (a gap where one is unknown), scaled to its own range;
    empty when fewer than two values are known. Decorative: hidden from screen readers."""
    known = [v for v in values if v is not None and math.isfinite(v)]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = width / max(len(values) - 1, 1)
    pad = 2
    runs: list[list[str]] = [[]]
    for i, v in enumerate(values):
        if v is None or not math.isfinite(v):
            runs.append([])
            continue
        y = pad + (height - 2 * pad) * (1 - (v - low) / span)
        runs[-1].append(f"{i * step:.1f},{y:.1f}")
    lines = "".join(f'<polyline points="{" ".join(r)}"/>' for r in runs if len(r) > 1)
    dots = "".join(
        f'<circle cx="{r[0].split(",")[0]}" cy="{r[0].split(",")[1]}" r="1.5"/>' for r in runs if len(r) == 1
    )
    return (
        f'<svg class="wb-spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="none" aria-hidden="true" focusable="false">{lines}{dots}</svg>'
    )


def _tile_html(name: str, rows: list[dict], lang: str) -> str:
    total = next((r for r in rows if r["_total"]), None)
    networks = [r for r in rows if not r["_total"]]
    head = ""
    if total is not None:
        head = (
            f'<p class="wb-glance-total"><span class="wb-glance-scope">{escape(total["scope"])}</span> '
            f'<strong class="wb-glance-value">{escape(total["value"])}</strong> '
            f'<span class="wb-glance-change {CHANGE_CSS[total["better"]]}">{escape(total["change"])}</span>'
            f"{sparkline(total['spark'], *SPARK_SIZE['total'])}</p>"
        )
    body = "".join(
        f'<tr><th scope="row">{escape(r["scope"])}</th><td class="num">{escape(r["value"])}</td>'
        f'<td class="num {CHANGE_CSS[r["better"]]}">{escape(r["change"])}</td>'
        f"<td>{sparkline(r['spark'], *SPARK_SIZE['network'])}</td></tr>"
        for r in networks
    )
    return (
        f'<article class="wb-glance-tile"><h3>{escape(name)}</h3>{head}'
        f'<table class="wb-glance-networks">{body}</table></article>'
    )


def render_html(run_dir: Path, lang: str) -> str:
    """The at-a-glance block of a run folder (:func:`texts`) as HTML: a ``<section
    class="wb-glance" id="glance">`` with one tile per KPI (its total, when there is one, then each
    network: value, change against the window before, sparkline), the goals with their coloured
    status, the three findings that matter and the next actions. Every string is escaped.

    Raises:
        GlanceError: as :func:`texts`.
    """
    words = texts(run_dir, lang)
    data = _read(Path(run_dir), "glance")
    by_kpi: dict[str, list[dict]] = {}
    for tile, raw in zip(words["tiles"], data["tiles"], strict=True):
        by_kpi.setdefault(tile["name"], []).append({**tile, "_total": raw["scope"] == TOTAL})
    tiles = "".join(_tile_html(name, rows, lang) for name, rows in by_kpi.items())
    goals = "".join(
        f'<li><span class="wb-glance-status {STATUS_CSS.get(g["status_code"], "wb-muted")}">'
        f"{escape(g['status'])}</span> {escape(g['label'])}</li>"
        for g in words["goals"]
    )
    findings = "".join(f"<li>{escape(f)}</li>" for f in words["findings"])
    actions = "".join(f"<li>{escape(a)}</li>" for a in words["actions"])
    heads = {k: escape(t(f"report.summary_{k}", lang)) for k in ("goals", "findings", "next_steps")}
    side = f'<h3>{heads["goals"]}</h3><ul class="wb-glance-goals">{goals}</ul>' if goals else ""
    side += f"<h3>{heads['findings']}</h3><ol>{findings}</ol>" if findings else ""
    side += f"<h3>{heads['next_steps']}</h3><ol>{actions}</ol>"
    return (
        '<section class="wb-glance" id="glance" aria-labelledby="glance-title">'
        f'<header class="wb-glance-head"><h2 id="glance-title">{escape(words["title"])}</h2>'
        f"<p>{escape(words['period'])} · {escape(words['windows'])}</p></header>"
        f'<div class="wb-glance-body"><div class="wb-glance-tiles">{tiles}</div>'
        f'<div class="wb-glance-side">{side}</div></div></section>'
    )
