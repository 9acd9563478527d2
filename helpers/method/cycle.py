"""Since the last report: what changed between the previous run and this one.

The monthly cycle compares each run with an earlier one (``helpers/run/since.py``). This module
compares their artefacts, in three tables:

* :func:`finding_status`: each finding of 02 is ``new`` or still ``open``; a finding of the last
  report no longer found is ``resolved`` when it was a problem (a weakness, a threat) and ``lost``
  when it was an asset (a strength, an opportunity), so a strength gone is never read as a fix;
* :func:`kpi_changes`: each headline KPI per scope, before and now, its change and whether that is
  better or worse by the registry's direction; a figure whose convention changed is not compared;
* :func:`goal_progress`: each goal of 07, before and now, its status then and now; goals new since
  the last report or dropped.

Numbers and codes only; words are added at display time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from helpers import kpis as kpis_
from helpers.kpis._base import number as _number

#: The status of a finding since the last report.
FINDING_STATUSES: tuple[str, ...] = ("new", "open", "resolved", "lost")
#: The kinds of finding whose leaving is good news (a problem fixed): ``resolved``. The others
#: (a strength, an opportunity) leaving is a loss: ``lost``.
PROBLEM_KINDS: tuple[str, ...] = ("weakness", "threat")
#: The direction of a figure since the last report.
DIRECTIONS: tuple[str, ...] = ("up", "down", "stable", "unknown", "not_comparable")
#: What the change means, by the registry's direction of the KPI.
VERDICTS: tuple[str, ...] = ("better", "worse", "stable", "unknown", "not_comparable")
#: Why a figure is not compared: its variant or unit differs between the runs, a brief convention it
#: depends on changed, or the current window ends before the previous one.
REASONS: tuple[str, ...] = ("variant_changed", "unit_changed", "convention_changed", "earlier_window")
#: Whether a goal was tracked by both runs, only by this one, or only by the previous one.
GOAL_PRESENCE: tuple[str, ...] = ("kept", "new", "dropped")

FINDING_COLUMNS = ["id", "subject", "kind", "status", "severity_before", "severity_now"]
KPI_COLUMNS = [
    "kpi", "scope", "variant", "unit", "before", "now", "change", "relative", "direction", "verdict",
    "comparable", "reason",
]  # fmt: skip
GOAL_COLUMNS = [
    "id", "label", "kpi", "scope", "presence", "before", "now", "change", "target", "status_before",
    "status_now",
]  # fmt: skip


class CycleError(ValueError):
    """A table of a run cannot be compared; the message names the table, the row and what it lacks."""


# --------------------------------------------------------------------------- findings
def _records(findings: Iterable[Any] | None, name: str) -> list[dict]:
    """Findings as dicts (``findings.json`` records or :class:`helpers.method.synthesis.Finding`)."""
    out = []
    for i, item in enumerate(findings or []):
        record = item.as_dict() if hasattr(item, "as_dict") else item
        if not isinstance(record, dict) or not str(record.get("id") or "").strip():
            raise CycleError(f"{name} findings, item {i}: a finding needs an 'id', got {item!r}")
        out.append(record)
    return out


def finding_status(previous: Sequence[Any] | None, current: Sequence[Any]) -> pd.DataFrame:
    """Each finding's status since the last report.

    Args:
        previous: the previous run's findings (``findings.json``); None or empty gives no
            ``resolved``/``lost`` row.
        current: this run's findings, ranked (records or ``Finding`` objects).

    Returns:
        Columns :data:`FINDING_COLUMNS`: this run's findings first, in their order (``new`` or
        ``open``), then the previous run's findings no longer found, in their order (``resolved``
        for a weakness or a threat, ``lost`` for a strength or an opportunity); severities NaN
        where a run lacks the finding.

    Raises:
        CycleError: a finding without an id.
    """
    before = {}
    for record in _records(previous, "previous"):
        before.setdefault(str(record["id"]), record)
    rows, seen = [], set()
    for record in _records(current, "current"):
        key = str(record["id"])
        if key in seen:
            continue
        seen.add(key)
        old = before.get(key)
        rows.append({
            "id": key, "subject": str(record.get("subject") or ""), "kind": str(record.get("kind") or ""),
            "status": "open" if old is not None else "new",
            "severity_before": _number(old.get("severity")) if old is not None else math.nan,
            "severity_now": _number(record.get("severity")),
        })  # fmt: skip
    for key, old in before.items():
        if key in seen:
            continue
        kind = str(old.get("kind") or "")
        rows.append({
            "id": key, "subject": str(old.get("subject") or ""), "kind": kind,
            "status": "resolved" if kind in PROBLEM_KINDS else "lost",
            "severity_before": _number(old.get("severity")), "severity_now": math.nan,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


# --------------------------------------------------------------------------- KPIs
def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _long(table: pd.DataFrame, name: str, wanted: Sequence[str] | None) -> pd.DataFrame:
    missing = [c for c in ("kpi", "scope", "value") if c not in table.columns]
    if missing:
        raise CycleError(
            f"{name} kpis table: no column {', '.join(missing)} (expected kpi, variant, scope, value, unit)"
        )
    frame = pd.DataFrame({
        "kpi": table["kpi"].map(_text), "scope": table["scope"].map(_text),
        "variant": table["variant"].map(_text) if "variant" in table else "",
        "unit": table["unit"].map(_text) if "unit" in table else "",
        "value": pd.to_numeric(table["value"], errors="coerce"), "present": True,
    })  # fmt: skip
    if wanted is not None:
        frame = frame[frame["kpi"].isin(wanted)]
    return frame.drop_duplicates(["kpi", "scope"], keep="first")


def conventions_of(kpi: str) -> set[str]:
    """The brief's KPI conventions (``engagement_rate``, ``aggregation``...) a KPI depends on (the
    registry's variants of it); none for a KPI the registry does not know."""
    if kpi not in kpis_.KPIS:
        return set()
    return {axis.convention for axis in kpis_.REGISTRY.axes(kpi)}


def relative_change(before: float, now: float) -> float:
    """(now − before) / |before|; NaN when either is unknown or ``before`` is 0."""
    if pd.isna(before) or pd.isna(now) or before == 0:
        return math.nan
    return (now - before) / abs(before)


def direction(before: float, now: float, change_threshold: float) -> str:
    """``up``, ``down``, ``stable`` (a relative change under ``change_threshold``) or ``unknown``
    (either figure unknown); from 0, any move counts."""
    if pd.isna(before) or pd.isna(now):
        return "unknown"
    relative = relative_change(before, now)
    if pd.isna(relative):
        return "stable" if now == before else ("up" if now > before else "down")
    if abs(relative) < change_threshold:
        return "stable"
    return "up" if relative > 0 else "down"


def verdict(kpi: str, move: str) -> str:
    """What a move of ``kpi`` means: ``better``/``worse`` by the registry's ``higher_is_better``,
    else the move's own code (``stable``, ``unknown``, ``not_comparable``); ``unknown`` for a KPI
    the registry does not know."""
    if move not in ("up", "down"):
        return move
    if kpi not in kpis_.KPIS:
        return "unknown"
    return "better" if (move == "up") == kpis_.KPIS[kpi].higher_is_better else "worse"


def kpi_changes(
    previous_kpis: pd.DataFrame,
    current_kpis: pd.DataFrame,
    comparison: dict,
    *,
    change_threshold: float,
    kpis: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each KPI per scope at the last report and now.

    Args:
        previous_kpis, current_kpis: both runs' KPIs in long format (columns ``kpi``, ``scope``,
            ``value``, optionally ``variant`` and ``unit``), such as ``kpis.csv``.
        comparison: :meth:`helpers.run.context.Run.comparison` (``changed_conventions``,
            ``relation``).
        change_threshold: the relative change (0.15 = 15 %) under which a figure is ``stable``
            (the brief's ``analysis.change_threshold``).
        kpis: the KPIs to keep, in this order (None: every KPI of either table).

    Returns:
        Columns :data:`KPI_COLUMNS`, one row per KPI and scope of either run: ``before``, ``now``,
        ``change`` (now − before), ``relative``, ``direction`` (:data:`DIRECTIONS`), ``verdict``
        (:data:`VERDICTS`), ``comparable`` and ``reason`` (:data:`REASONS`, empty when
        comparable). A figure not comparable gets no change (NaN). Either figure unknown: no
        change, direction ``unknown``.

    Raises:
        CycleError: a table lacks ``kpi``, ``scope`` or ``value``; a threshold that is not positive.
    """
    if not change_threshold > 0:
        raise CycleError(f"change_threshold must be positive, got {change_threshold}")
    before = _long(previous_kpis, "previous", kpis)
    now = _long(current_kpis, "current", kpis)
    merged = before.merge(now, on=["kpi", "scope"], how="outer", suffixes=("_before", "_now"), sort=False)
    changed = {str(c.get("key")) for c in (comparison or {}).get("changed_conventions") or []}
    earlier = (comparison or {}).get("relation") == "earlier"
    order = list(kpis) if kpis is not None else list(dict.fromkeys([*now["kpi"], *before["kpi"]]))
    rows = []
    for r in merged.itertuples(index=False):
        variant_before, variant_now = _text(r.variant_before), _text(r.variant_now)
        unit_before, unit_now = _text(r.unit_before), _text(r.unit_now)
        both = pd.notna(r.present_before) and pd.notna(r.present_now)
        reason = ""
        if earlier:
            reason = "earlier_window"
        elif conventions_of(r.kpi) & changed:
            reason = "convention_changed"
        elif both and variant_before != variant_now:
            reason = "variant_changed"
        elif both and unit_before != unit_now:
            reason = "unit_changed"
        if reason:
            move, change, relative = "not_comparable", math.nan, math.nan
        else:
            move = direction(r.value_before, r.value_now, change_threshold)
            change = r.value_now - r.value_before if move != "unknown" else math.nan
            relative = relative_change(r.value_before, r.value_now)
        rows.append({
            "kpi": r.kpi, "scope": r.scope, "variant": variant_now or variant_before,
            "unit": unit_now or unit_before, "before": r.value_before, "now": r.value_now,
            "change": change, "relative": relative, "direction": move, "verdict": verdict(r.kpi, move),
            "comparable": not reason, "reason": reason,
        })  # fmt: skip
    table = pd.DataFrame(rows, columns=KPI_COLUMNS)
    rank = {k: i for i, k in enumerate(order)}
    # within a KPI, the scopes in the order of this run's table, then those only the previous run had
    keys = list(zip(now["kpi"], now["scope"], strict=True)) + list(
        zip(before["kpi"], before["scope"], strict=True)
    )
    place = {key: i for i, key in reversed(list(enumerate(keys)))}
    table = table.assign(
        _rank=table["kpi"].map(rank),
        _place=[place[k] for k in zip(table["kpi"], table["scope"], strict=True)],
    ).sort_values(["_rank", "_place"], kind="stable")
    return table.drop(columns=["_rank", "_place"]).reset_index(drop=True)


# --------------------------------------------------------------------------- goals
def _goals(tracking: pd.DataFrame | None, name: str) -> dict[str, dict]:
    if tracking is None or tracking.empty:
        return {}
    if "id" not in tracking.columns:
        raise CycleError(f"{name} tracking table: no column id (expected id, label, kpi, actual, status)")
    out: dict[str, dict] = {}
    for i, record in enumerate(tracking.to_dict("records")):
        key = _text(record.get("id")).strip()
        if not key:
            raise CycleError(f"{name} tracking table, row {i + 1}: a goal without an id")
        out.setdefault(key, record)
    return out


def goal_progress(
    previous_tracking: pd.DataFrame | None, current_tracking: pd.DataFrame | None
) -> pd.DataFrame:
    """Each goal at the last report and now (both runs' ``tracking.csv``).

    Returns:
        Columns :data:`GOAL_COLUMNS`: this run's goals first, in their order, then the goals the
        previous run tracked and this one no longer does. ``presence`` (:data:`GOAL_PRESENCE`),
        ``before`` and ``now`` (the goal's actual value), ``change`` (now − before; NaN when either
        is unknown or the goal's KPI or scope changed), ``target`` (this run's, else the previous
        one's), ``status_before`` and ``status_now`` (empty where a run lacks the goal).

    Raises:
        CycleError: a table without an ``id`` column, or a goal without an id.
    """
    before, now = _goals(previous_tracking, "previous"), _goals(current_tracking, "current")
    rows = []
    for key in [*now, *(k for k in before if k not in now)]:
        old, new = before.get(key), now.get(key)
        latest = new if new is not None else old
        value_before = _number(old.get("actual")) if old is not None else math.nan
        value_now = _number(new.get("actual")) if new is not None else math.nan
        same = (
            old is not None
            and new is not None
            and all(_text(old.get(c)) == _text(new.get(c)) for c in ("kpi", "scope"))
        )
        rows.append({
            "id": key, "label": _text(latest.get("label")) or key, "kpi": _text(latest.get("kpi")),
            "scope": _text(latest.get("scope")),
            "presence": "new" if old is None else ("dropped" if new is None else "kept"),
            "before": value_before, "now": value_now,
            "change": value_now - value_before if same else math.nan,
            "target": _number(latest.get("target")),
            "status_before": _text(old.get("status")) if old is not None else "",
            "status_now": _text(new.get("status")) if new is not None else "",
        })  # fmt: skip
    return pd.DataFrame(rows, columns=GOAL_COLUMNS)
