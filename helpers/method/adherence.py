"""Step 7 of the method against the plan: which planned posts were published, when, and how they did.

The previous run's calendar (:func:`helpers.method.planning.read_calendar_csv`) is matched,
post for post, with the posts the new exports hold (the canonical posts table,
:data:`helpers.client.schemas.POSTS`):

* **matching** (:func:`match`): a published post can only stand for a planned post of the same
  network published between ``early`` before and ``late`` after the planned time. Among those
  pairs, one optimal one-to-one assignment (:func:`scipy.optimize.linear_sum_assignment`, never
  a greedy first-come pass) first matches as many planned posts as it can, then minimises the
  total cost: the hours between planned and published time, plus ``format_penalty`` hours when
  the format differs (so the same format is preferred, but not over days of delay);
* **statuses**: a matched planned post is ``on_time`` (published within ``on_time`` of its
  time, either side), ``late`` (up to ``late`` after) or ``early`` (up to ``early`` before); an
  unmatched planned post is ``missing`` when its time has passed at the data's end (``as_of``),
  ``upcoming`` otherwise; a published post inside the plan's horizon that no planned post
  takes is ``unplanned``. Published posts outside the horizon (and not matched) are left out;
* **ambiguity**: a match is ``ambiguous`` when another assignment, without that pair, matches as
  many posts at a total cost within ``ambiguity`` hours of the best one: the data cannot tell
  which planned post the published one stands for. The pair is kept (the counts per network
  do not depend on it) but flagged, with the alternative partners named, never silently chosen;
* **adherence** (:func:`adherence`): per network, pillar or goal, the planned posts, their
  statuses, and the adherence: published (on time, late or early) over the planned posts whose
  time has passed (unknown, never 0, when none has);
* **performance** (:func:`planned_performance`): the published planned posts' engagement rate
  (the brief's convention, on :func:`helpers.kpis.rated_posts`) with its interval and verdict
  (:mod:`helpers.method.evidence`) against the network's rate over every published post, and
  against the expected rate of the slots they were planned in (``slots.csv``).

Numbers and codes only; words are added at display time.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from helpers import kpis
from helpers.method import evidence

#: A published post within this many hours of its planned time, either side, is on time.
ON_TIME_HOURS = 24.0
#: A published post up to this many hours after its planned time is late (beyond: not that post).
LATE_HOURS = 7 * 24.0
#: A published post up to this many hours before its planned time is early (beyond: not that post).
EARLY_HOURS = 3 * 24.0
#: Hours added to a pair's cost when the published format differs from the planned one: a post
#: of the planned format is preferred unless the other is more than this much closer in time.
FORMAT_PENALTY_HOURS = 12.0
#: Two assignments whose total costs differ by at most this many hours are equally good: the
#: pairs where they differ are ambiguous.
AMBIGUITY_HOURS = 1.0

#: The statuses of :func:`match`, planned posts first.
STATUSES = ("on_time", "late", "early", "missing", "upcoming", "unplanned")
#: Statuses of a planned post that was published.
PUBLISHED = ("on_time", "late", "early")
#: Statuses of a planned post whose time has passed at the data's end.
DUE = (*PUBLISHED, "missing")
#: The columns of :func:`match`'s table, one row per planned post and per unplanned post.
MATCH_COLUMNS = (
    "post_no", "post_id", "channel", "planned_at", "published_at", "planned_format",
    "published_format", "format_match", "pillar", "goal_id", "delay_hours", "status",
    "ambiguous", "alt_post_id", "alt_post_no",
)  # fmt: skip
#: The columns of :func:`adherence` after the grouping keys.
ADHERENCE_COLUMNS = (
    "planned", "due", "on_time", "late", "early", "missing", "upcoming", "unplanned",
    "ambiguous", "format_match", "adherence", "on_time_share",
)  # fmt: skip
#: The columns of :func:`planned_performance`, one row per network.
PERFORMANCE_COLUMNS = (
    "channel", "posts", "rate", "low", "high", "network_posts", "network_rate", "network_lift",
    "vs_network", "slot_posts", "slot_rate", "slot_low", "slot_high", "slot_expected", "slot_lift",
    "vs_slot",
)  # fmt: skip
#: Columns :func:`match` needs in each table.
PLANNED_NEEDS = ("post_no", "start", "channel", "format")
PUBLISHED_NEEDS = ("post_id", "channel", "published_at", "format")
SLOT_NEEDS = ("channel", "weekday", "hour", "engagement_rate")
GROUPINGS = ("channel", "pillar", "goal_id")


@dataclass(frozen=True)
class Tolerance:
    """How far a published post may be from its planned time, and how pairs are weighed (hours).

    Attributes:
        on_time: either side of the planned time, the post is on time.
        late: after the planned time, the post is late up to this (then it is not that post).
        early: before the planned time, the post is early up to this.
        format_penalty: cost added to a pair whose formats differ.
        ambiguity: total-cost margin within which two assignments are equally good.
    """

    on_time: float = ON_TIME_HOURS
    late: float = LATE_HOURS
    early: float = EARLY_HOURS
    format_penalty: float = FORMAT_PENALTY_HOURS
    ambiguity: float = AMBIGUITY_HOURS

    def __post_init__(self) -> None:
        for name in ("on_time", "late", "early", "format_penalty", "ambiguity"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or math.isnan(value) or value < 0:
                raise ValueError(f"tolerance {name} must be a number of hours ≥ 0, got {value!r}")
        if self.late < self.on_time or self.early < self.on_time:
            raise ValueError(
                f"tolerance late ({self.late} h) and early ({self.early} h) must be at least "
                f"on_time ({self.on_time} h): an on-time post must be a match"
            )


# --------------------------------------------------------------------------- checks


def _need(table: Any, name: str, columns: Sequence[str]) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name}: expected a DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"{name}: missing column(s) {', '.join(missing)} "
            f"(has: {', '.join(map(str, table.columns)) or 'none'})"
        )


_ZONED = re.compile(r"(Z|[+-]\d\d:?\d\d)$")


def _utc(values: pd.Series, name: str, column: str) -> pd.Series:
    """A column of tz-aware timestamps in UTC; empty, naive or unreadable times are refused."""
    if values.isna().any():
        rows = list(values.index[values.isna()][:5])
        raise ValueError(f"{name}: column {column!r} has empty times (rows {rows}); every row needs one")
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC")
    naive = [
        v for v in values
        if (isinstance(v, str) and not _ZONED.search(v.strip()))
        or (isinstance(v, dt.datetime) and v.tzinfo is None)
        or not isinstance(v, str | dt.datetime)
    ]  # fmt: skip
    if naive:
        raise ValueError(
            f"{name}: column {column!r} must hold times with a zone (the calendar's local time with "
            f"its offset, the posts' UTC); got {naive[:3]}"
        )
    try:  # mixed offsets (a calendar across a clock change) are fine: all go to UTC
        return pd.to_datetime(values, format="ISO8601", utc=True)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{name}: column {column!r} must hold ISO 8601 times with a zone ({err})") from None


def _as_of(as_of: Any, published: pd.Series) -> pd.Timestamp:
    """The data's end as a UTC timestamp (a date is the end of that day, UTC)."""
    if as_of is None:
        if published.empty:
            raise ValueError("as_of: no published post to take the data's end from; pass as_of")
        return published.max()
    if isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime):
        return pd.Timestamp(as_of, tz="UTC") + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    stamp = pd.Timestamp(as_of)
    if stamp.tzinfo is None:
        raise ValueError(f"as_of: a time needs a zone, got {as_of!r}")
    return stamp.tz_convert("UTC")


# --------------------------------------------------------------------------- matching


def _solve(cost: np.ndarray, allowed: np.ndarray) -> tuple[list[tuple[int, int]], float]:
    """The optimal one-to-one pairs among the allowed ones: as many as possible, then cheapest."""
    if cost.size == 0 or not allowed.any():
        return [], 0.0
    big = (float(cost[allowed].max()) + 1.0) * (min(cost.shape) + 1)
    full = np.where(allowed, cost, big)
    rows, cols = linear_sum_assignment(full)
    pairs = [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if allowed[r, c]]
    return pairs, float(sum(cost[r, c] for r, c in pairs))


def _channel_match(
    plan: pd.DataFrame, pub: pd.DataFrame, tol: Tolerance
) -> tuple[dict[int, int], dict[int, tuple[int | None, int | None]]]:
    """Pairs (plan row → pub row) of one network, and for each ambiguous pair its alternatives
    (the published row the planned post takes, the planned row the published post takes, in
    an equally good assignment without that pair)."""
    hours = (pub["_at"].to_numpy()[None, :] - plan["_at"].to_numpy()[:, None]) / np.timedelta64(1, "h")
    hours = hours.astype(float)
    allowed = (hours >= -tol.early) & (hours <= tol.late)
    differ = plan["format"].to_numpy()[:, None] != pub["format"].to_numpy()[None, :]
    cost = np.abs(hours) + np.where(differ, tol.format_penalty, 0.0)
    pairs, best = _solve(cost, allowed)
    ambiguous: dict[int, tuple[int | None, int | None]] = {}
    for r, c in pairs:
        # only a pair with a rival within the margin can have an equally good alternative
        rival = (allowed[r] & (cost[r] <= cost[r, c] + tol.ambiguity)).sum() > 1 or (
            allowed[:, c] & (cost[:, c] <= cost[r, c] + tol.ambiguity)
        ).sum() > 1
        if not rival:
            continue
        without = allowed.copy()
        without[r, c] = False
        other, total = _solve(cost, without)
        if len(other) == len(pairs) and total <= best + tol.ambiguity + 1e-9:
            alt = dict(other)
            back = {cc: rr for rr, cc in other}
            ambiguous[r] = (alt.get(r), back.get(c))
    return dict(pairs), ambiguous


def _prepared(planned: pd.DataFrame, published: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables checked, on a fresh 0..n index, with their times in UTC in ``_at``."""
    _need(planned, "planned (calendar.csv)", PLANNED_NEEDS)
    _need(published, "published (posts table)", PUBLISHED_NEEDS)
    if planned["post_no"].duplicated().any():
        dup = planned.loc[planned["post_no"].duplicated(), "post_no"].tolist()[:5]
        raise ValueError(f"planned (calendar.csv): column 'post_no' must be unique, repeated: {dup}")
    if published.duplicated(["channel", "post_id"]).any():
        dup = published.loc[published.duplicated(["channel", "post_id"]), "post_id"].tolist()[:5]
        raise ValueError(f"published (posts table): (channel, post_id) must be unique, repeated: {dup}")
    plan, pub = planned.reset_index(drop=True), published.reset_index(drop=True)
    plan = plan.assign(_at=_utc(plan["start"], "planned (calendar.csv)", "start"))
    pub = pub.assign(_at=_utc(pub["published_at"], "published (posts table)", "published_at"))
    for frame in (plan, pub):
        frame["channel"] = frame["channel"].astype(str)
        frame["format"] = frame["format"].astype(str)
    return plan, pub


def _assign(
    plan: pd.DataFrame, pub: pd.DataFrame, tol: Tolerance
) -> tuple[dict[int, int], dict[int, tuple[int | None, int | None]]]:
    """Every network's optimal pairs (plan row → pub row) and ambiguous pairs' alternatives."""
    pairs: dict[int, int] = {}
    ambiguous: dict[int, tuple[int | None, int | None]] = {}
    for channel, rows in plan.groupby("channel", sort=True).indices.items():
        cols = np.flatnonzero((pub["channel"] == channel).to_numpy())
        found, unsure = _channel_match(plan.iloc[rows], pub.iloc[cols], tol)
        pairs.update({int(rows[r]): int(cols[c]) for r, c in found.items()})
        for r, (alt_c, alt_r) in unsure.items():
            ambiguous[int(rows[r])] = (
                None if alt_c is None else int(cols[alt_c]),
                None if alt_r is None else int(rows[alt_r]),
            )
    return pairs, ambiguous


def _planned_row(row: pd.Series, hit: pd.Series | None, end: pd.Timestamp, tol: Tolerance) -> dict:
    """One planned post's row of :func:`match` (``hit`` the published post matched, if any)."""
    base = {
        "post_no": int(row["post_no"]),
        "channel": row["channel"],
        "planned_at": row["_at"],
        "planned_format": row["format"],
        "pillar": row.get("pillar", pd.NA),
        "goal_id": row.get("goal_id", pd.NA),
        "ambiguous": False,
        "alt_post_id": pd.NA,
        "alt_post_no": pd.NA,
    }
    if hit is None:
        status = "missing" if row["_at"] <= end else "upcoming"
        return {**base, "post_id": pd.NA, "published_at": pd.NaT, "published_format": pd.NA,
                "format_match": pd.NA, "delay_hours": math.nan, "status": status}  # fmt: skip
    delay = (hit["_at"] - row["_at"]) / pd.Timedelta(hours=1)
    status = "on_time" if abs(delay) <= tol.on_time else "late" if delay > 0 else "early"
    return {**base, "post_id": str(hit["post_id"]), "published_at": hit["_at"],
            "published_format": hit["format"], "format_match": hit["format"] == row["format"],
            "delay_hours": float(delay), "status": status}  # fmt: skip


def _unplanned_row(hit: pd.Series) -> dict:
    """One unplanned post's row of :func:`match`."""
    return {"post_no": pd.NA, "post_id": str(hit["post_id"]), "channel": hit["channel"],
            "planned_at": pd.NaT, "published_at": hit["_at"], "planned_format": pd.NA,
            "published_format": hit["format"], "format_match": pd.NA, "pillar": pd.NA,
            "goal_id": pd.NA, "delay_hours": math.nan, "status": "unplanned",
            "ambiguous": False, "alt_post_id": pd.NA, "alt_post_no": pd.NA}  # fmt: skip


def _typed(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=list(MATCH_COLUMNS))
    for col in ("planned_at", "published_at"):
        table[col] = pd.to_datetime(table[col], utc=True)
    for col in ("post_no", "alt_post_no"):
        table[col] = table[col].astype("Int64")
    table["format_match"] = table["format_match"].astype("boolean")
    table["ambiguous"] = table["ambiguous"].astype(bool)
    table["delay_hours"] = table["delay_hours"].astype(float)
    return table


def match(
    planned: pd.DataFrame,
    published: pd.DataFrame,
    tolerance: Tolerance | None = None,
    as_of: Any = None,
    horizon: tuple[dt.date, dt.date] | None = None,
) -> pd.DataFrame:
    """Match the posts published with the posts planned, one to one (see the module's rules).

    Args:
        planned: the calendar (:func:`helpers.method.planning.read_calendar_csv`): at least
            ``post_no``, ``start`` (tz-aware, the client's local time), ``channel``, ``format``;
            ``pillar``, ``goal_id`` and ``timezone`` are carried when present.
        published: the posts table (``post_id``, ``channel``, ``published_at`` in UTC,
            ``format``).
        tolerance: the time windows and costs (:class:`Tolerance`; its defaults otherwise).
        as_of: the data's end (a tz-aware time, or a date: the end of that day, UTC): planned
            posts after it are ``upcoming``, not ``missing``. Defaults to the latest published post.
        horizon: first and last days of the plan (in the calendar's zone); published posts
            outside it are not ``unplanned``. Defaults to the calendar's first and last dates.

    Returns:
        One row per planned post and per unplanned post, columns :data:`MATCH_COLUMNS`:
        ``planned_at``/``published_at`` in UTC (NaT on the side that has none), ``delay_hours``
        published − planned (negative when early), ``format_match`` (<NA> unless matched),
        ``ambiguous`` with ``alt_post_id``/``alt_post_no`` the partners an equally good
        assignment gives. Planned posts in calendar order, then unplanned ones by time.
        ``attrs`` holds ``as_of``, ``horizon``, ``tolerance`` and ``outside`` (published posts
        left out, outside the horizon).

    Raises:
        ValueError: a table lacks a column, holds times without a zone or duplicate ids.
        TypeError: a table is not a DataFrame.
    """
    tol = tolerance or Tolerance()
    plan, pub = _prepared(planned, published)
    end = _as_of(as_of, pub["_at"])
    zone = str(plan["timezone"].iloc[0]) if "timezone" in plan and len(plan) else "UTC"
    if horizon is None:
        local = plan["_at"].dt.tz_convert(zone)
        horizon = (local.min().date(), local.max().date()) if len(plan) else (end.date(), end.date())
    first = pd.Timestamp(horizon[0], tz=zone).tz_convert("UTC")
    last = (pd.Timestamp(horizon[1], tz=zone) + pd.Timedelta(days=1)).tz_convert("UTC")
    pairs, ambiguous = _assign(plan, pub, tol)
    rows = []
    for i, row in plan.iterrows():
        out = _planned_row(row, pub.iloc[pairs[i]] if i in pairs else None, end, tol)
        if i in ambiguous:
            alt_c, alt_r = ambiguous[i]
            out["ambiguous"] = True
            out["alt_post_id"] = pd.NA if alt_c is None else str(pub["post_id"].iloc[alt_c])
            out["alt_post_no"] = pd.NA if alt_r is None else int(plan["post_no"].iloc[alt_r])
        rows.append(out)
    free = pub[~pub.index.isin(set(pairs.values()))]
    inside = (free["_at"] >= first) & (free["_at"] < last)
    rows += [_unplanned_row(hit) for _, hit in free[inside].sort_values("_at").iterrows()]
    table = _typed(rows)
    table.attrs = {
        "as_of": end,
        "horizon": tuple(horizon),
        "tolerance": tol,
        "timezone": zone,
        "outside": int((~inside).sum()),
    }
    return table


def ambiguities(matches: pd.DataFrame) -> pd.DataFrame:
    """The ambiguous matches of :func:`match`, with the partners an equally good assignment gives."""
    _need(matches, "matches", MATCH_COLUMNS)
    return matches[matches["ambiguous"]].reset_index(drop=True)


# --------------------------------------------------------------------------- adherence


def adherence(matches: pd.DataFrame, by: str | Sequence[str] | None = "channel") -> pd.DataFrame:
    """Counts and shares of the plan's statuses, per group.

    Args:
        matches: :func:`match`'s table.
        by: ``channel``, ``pillar``, ``goal_id`` (a post tied to no goal is in group ""), a list
            of them, or None for one row over the whole plan.

    Returns:
        The key columns, then :data:`ADHERENCE_COLUMNS`: ``planned`` (every planned post),
        ``due`` (those whose time has passed), the count of each status, ``ambiguous`` and
        ``format_match`` (matched posts in their planned format), ``adherence`` (on time + late
        + early over due) and ``on_time_share`` (on time over due), NaN when nothing is due.
        ``unplanned`` counts only when the grouping is by network or none (an unplanned post
        has no pillar or goal): <NA> otherwise.

    Raises:
        ValueError: ``matches`` lacks a column, or ``by`` names an unknown grouping.
    """
    _need(matches, "matches", MATCH_COLUMNS)
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    if unknown := [k for k in keys if k not in GROUPINGS]:
        raise ValueError(f"by: unknown grouping {unknown} (expected some of {', '.join(GROUPINGS)})")
    if unknown := sorted(set(matches["status"]) - set(STATUSES)):
        raise ValueError(
            f"matches: column 'status' has unknown values {unknown} (expected {', '.join(STATUSES)})"
        )
    frame = matches.copy()
    for status in STATUSES:
        frame[status] = (frame["status"] == status).astype(int)
    frame["planned"] = (frame["status"] != "unplanned").astype(int)
    frame["due"] = frame["status"].isin(DUE).astype(int)
    frame["ambiguous"] = frame["ambiguous"].astype(int)
    frame["format_match"] = frame["format_match"].fillna(False).astype(int)
    counted = ["planned", "due", *STATUSES, "ambiguous", "format_match"]
    with_unplanned = set(keys) <= {"channel"}
    if not with_unplanned:
        frame = frame[frame["status"] != "unplanned"]
    for k in keys:
        frame[k] = frame[k].fillna("").astype(str)
    if keys:
        table = frame.groupby(keys, sort=True)[counted].sum().reset_index()
    else:
        table = frame[counted].sum().to_frame().T.reset_index(drop=True)
    table["unplanned"] = table["unplanned"].astype("Int64")
    if not with_unplanned:
        table["unplanned"] = pd.array([pd.NA] * len(table), dtype="Int64")
    due = table["due"].astype(float).replace(0, np.nan)
    table["adherence"] = (table["on_time"] + table["late"] + table["early"]) / due
    table["on_time_share"] = table["on_time"] / due
    return table[[*keys, *ADHERENCE_COLUMNS]]


# --------------------------------------------------------------------------- performance


def _slot_expectations(slots: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    """Each post's expected rate from ``slots`` on (channel, weekday, hour); NaN when absent."""
    _need(slots, "slots (slots.csv)", SLOT_NEEDS)
    table = slots[list(SLOT_NEEDS)].copy()
    for col in ("weekday", "hour"):
        values = pd.to_numeric(table[col], errors="coerce")
        high = 6 if col == "weekday" else 23
        bad = values.isna() | (values < 0) | (values > high) | (values % 1 != 0)
        if bad.any():
            raise ValueError(
                f"slots (slots.csv): column {col!r} must hold whole numbers 0 to {high}, "
                f"got {table.loc[bad, col].tolist()[:5]}"
            )
        table[col] = values.astype(int)
    table["engagement_rate"] = pd.to_numeric(table["engagement_rate"], errors="coerce")
    if table.duplicated(["channel", "weekday", "hour"]).any():
        raise ValueError("slots (slots.csv): (channel, weekday, hour) must be unique")
    merged = keys.merge(table, on=["channel", "weekday", "hour"], how="left")
    return merged["engagement_rate"].to_numpy(dtype=float)


def planned_performance(
    matches: pd.DataFrame,
    published: pd.DataFrame,
    conventions: Any,
    slots: pd.DataFrame | None = None,
    followers: pd.DataFrame | None = None,
    rule: evidence.Rule | None = None,
    tz: str | None = None,
) -> pd.DataFrame:
    """How the published planned posts did, per network, against the network and their slots.

    The posts are the matched ones (on time, late or early) that the rate counts
    (:func:`helpers.kpis.rated_posts`: no story, no flagged paid post). Their engagement rate
    (the brief's convention) gets an interval and a verdict (:mod:`helpers.method.evidence`,
    the sample rule included) against:

    * the network's rate over every rated post of ``published`` (planned or not);
    * when ``slots`` is given, the expected rate of the slots the posts were planned in
      (weekday and hour of the planned time in the calendar's zone): each post's slot rate,
      weighted by its denominator under a ratio of sums, averaged under a mean of rates, over
      the posts whose slot the table has (the others are left out of that comparison).

    Args:
        matches: :func:`match`'s table (its ``attrs['timezone']`` gives the slots' zone).
        published: the posts table the matches were made on.
        conventions: the brief's ``kpi`` section or an :class:`helpers.kpis.EngagementConvention`.
        slots: ``slots.csv`` (``channel``, ``weekday`` 0 = Monday, ``hour``, ``engagement_rate``;
            ``low``/``high`` are not needed).
        followers: the followers table, when the convention's denominator is followers.
        rule: the sample rule and interval method.
        tz: the zone of the slots' weekdays and hours (the calendar's); defaults to
            ``matches.attrs['timezone']``.

    Returns:
        One row per network with planned posts, columns :data:`PERFORMANCE_COLUMNS`;
        ``vs_network``/``vs_slot`` are :data:`helpers.method.evidence.VERDICTS`, ``*_lift`` the
        rate over the reference − 1. Without ``slots`` the slot columns are NaN / <NA>.

    Raises:
        ValueError: a table lacks a column, ``slots`` holds a weekday or hour out of range, or
            ``slots`` is given without a zone to read the planned times in.
    """
    _need(matches, "matches", MATCH_COLUMNS)
    zone = tz or matches.attrs.get("timezone")
    if slots is not None and not zone:
        raise ValueError("slots: the planned times' zone is unknown (matches lost their attrs): pass tz")
    _need(published, "published (posts table)", PUBLISHED_NEEDS)
    rule = rule or evidence.Rule()
    convention = kpis.EngagementConvention.of(conventions)
    rated = kpis.rated_posts(published).reset_index(drop=True)
    num = kpis.interactions(rated).to_numpy(dtype=float)
    den = convention.denominators(rated, followers).to_numpy(dtype=float)
    rated_keys = pd.MultiIndex.from_arrays([rated["channel"].astype(str), rated["post_id"].astype(str)])
    done = matches[matches["status"].isin(PUBLISHED)]
    done_keys = pd.MultiIndex.from_arrays([done["channel"].astype(str), done["post_id"].astype(str)])
    where = rated_keys.get_indexer(done_keys)
    done = done[where >= 0].reset_index(drop=True)
    where = where[where >= 0]
    local = done["planned_at"].dt.tz_convert(zone or "UTC")
    keys = pd.DataFrame(
        {"channel": done["channel"].astype(str), "weekday": local.dt.day_of_week, "hour": local.dt.hour}
    )
    expected = _slot_expectations(slots, keys) if slots is not None else np.full(len(done), np.nan)
    agg = convention.aggregation
    rng = rule.rng()
    rows = []
    channels = sorted(set(matches.loc[matches["status"] != "unplanned", "channel"].astype(str)))
    for channel in channels:
        mine = (keys["channel"] == channel).to_numpy()
        n, d = num[where[mine]], den[where[mine]]
        everyone = (rated["channel"].astype(str) == channel).to_numpy()
        reference = evidence.rate(num[everyone], den[everyone], agg)
        n_known = len(_counted(n, d, agg)[0])
        value = evidence.rate(n, d, agg)
        low, high = (
            evidence.interval(n, d, agg, rule, rng) if n_known >= rule.min_posts else (math.nan, math.nan)
        )
        row = {
            "channel": channel,
            "posts": n_known,
            "rate": value,
            "low": low,
            "high": high,
            "network_posts": len(_counted(num[everyone], den[everyone], agg)[0]),
            "network_rate": reference,
            "network_lift": _lift(value, reference),
            "vs_network": evidence.verdict(n_known, low, high, reference, rule.min_posts),
        }
        exp = expected[mine]
        slotted = ~np.isnan(exp) & ~np.isnan(d) & ~np.isnan(n) & ((d > 0) if agg == "mean_of_rates" else True)
        if slots is None:
            row.update(slot_posts=pd.NA, slot_rate=math.nan, slot_low=math.nan, slot_high=math.nan,
                       slot_expected=math.nan, slot_lift=math.nan, vs_slot=pd.NA)  # fmt: skip
        else:
            sn, sd, se = n[slotted], d[slotted], exp[slotted]
            s_value = evidence.rate(sn, sd, agg)
            if agg == "ratio_of_sums":
                s_expected = float((se * sd).sum() / sd.sum()) if sd.sum() > 0 else math.nan
            else:
                s_expected = float(se.mean()) if len(se) else math.nan
            s_low, s_high = (
                evidence.interval(sn, sd, agg, rule, rng)
                if len(sn) >= rule.min_posts
                else (math.nan, math.nan)
            )
            row.update(
                slot_posts=len(sn),
                slot_rate=s_value,
                slot_low=s_low,
                slot_high=s_high,
                slot_expected=s_expected,
                slot_lift=_lift(s_value, s_expected),
                vs_slot=evidence.verdict(len(sn), s_low, s_high, s_expected, rule.min_posts),
            )
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(PERFORMANCE_COLUMNS))
    table["slot_posts"] = table["slot_posts"].astype("Int64")
    return table


def _counted(num: np.ndarray, den: np.ndarray, aggregation: str) -> tuple[np.ndarray, np.ndarray]:
    """The posts a rate counts under the convention (as :func:`helpers.method.evidence.rate`):
    a known denominator, and > 0 for a mean of rates."""
    keep = ~np.isnan(num) & ~np.isnan(den)
    if aggregation == "mean_of_rates":
        keep &= den > 0
    return num[keep], den[keep]


def _lift(value: float, reference: float) -> float:
    if math.isnan(value) or math.isnan(reference) or reference == 0:
        return math.nan
    return value / reference - 1
