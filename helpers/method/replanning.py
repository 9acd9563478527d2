"""Re-planning: the month's calendar follows the previous run's, keeps what worked, says what changed.

Agencies run a client's report every month (:mod:`helpers.run.since`). Each run plans a calendar
(:mod:`helpers.method.planning`); the next run's calendar should take over where the previous one
stops rather than plan the brief's horizon again:

* :func:`horizon`: when the cycle moved on (this run's data end after the previous run's) and the
  previous calendar plans into the brief's horizon, the new calendar starts the day after the
  previous calendar's last planned post and keeps the brief's horizon length; a re-run of the
  same period re-plans the brief's horizon, replacing the previous calendar. A brief's horizon
  already under way at the data's end (the brief's period moved on, its horizon did not) starts
  the day after the data instead: a calendar never plans days the data already cover. The length
  kept is a number of whole months when the brief's horizon is whole months (1 January to
  31 March: three months, so 1 April to 30 June), else a number of days;
* :func:`changes`: what the new plan changes from the previous one (posts per week, format shares,
  slots, pillars), each with the reason the evidence tables give, and whether what worked (a
  slot or format whose verdict was ``above``) stays.

Numbers and codes only; words are added at display time. Every function is pure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from typing import NamedTuple

import pandas as pd

from helpers.method.planning import FREQUENCY_STEP

#: Relations of this run's window to the previous run's (:data:`helpers.run.since.RELATIONS`)
#: meaning the cycle moved on (this run's data end after the previous run's): the new calendar
#: follows the previous one.
MOVED_ON: frozenset[str] = frozenset({"overlapping", "following"})
#: Why the calendar covers the dates it covers (:func:`horizon`):
#: ``follows`` the previous calendar; ``under_way`` the brief's horizon started before the data's
#: end, so the calendar starts the day after the data; ``same_period`` a re-run of the previous
#: run's period, which re-plans the brief's horizon and replaces the previous calendar;
#: ``previous_before`` the previous calendar ended before the brief's horizon starts;
#: ``not_moved_on`` this run's data do not end after the previous run's; ``no_previous`` no
#: previous run, or no post in its calendar.
HORIZON_REASONS: tuple[str, ...] = (
    "follows",
    "under_way",
    "same_period",
    "previous_before",
    "not_moved_on",
    "no_previous",
)
#: A format's planned share moved when it changed by at least this much (0.05 = 5 points of the
#: network's posts); a smaller move is the rounding of a mix over a few posts.
SHARE_MOVE = 0.05
#: Posts per week changed when they moved by at least a capacity cut's step
#: (:data:`helpers.method.planning.FREQUENCY_STEP`, 0.5): a smaller difference comes from placement
#: (public holidays, brand dates, a horizon's partial weeks), not from the plan.
FREQUENCY_MOVE = FREQUENCY_STEP
#: The columns of :func:`changes` (``replan.csv``).
CHANGE_COLUMNS: tuple[str, ...] = (
    "channel", "kind", "item", "weekday", "hour", "before", "now", "change", "reason", "was_above",
)  # fmt: skip
#: What a row of :func:`changes` is about.
KINDS: tuple[str, ...] = ("frequency", "format", "slot", "pillar")
#: How it changed: posts per week ``same``/``up``/``down``; a format, slot or pillar ``added`` or
#: ``dropped``, a format's share ``up``/``down``; ``kept`` what worked (verdict ``above`` before)
#: and stays; ``unused`` a slot still ``above`` that the new calendar gives no post.
CHANGES: tuple[str, ...] = ("same", "up", "down", "added", "dropped", "kept", "unused")
#: Why: posts per week ``capacity_cut`` (cut to the team's hours), ``frequency_asked`` (the
#: frequency asked now, the brief's or the method's), ``new_network`` / ``network_left``,
#: ``unchanged``; a format or slot the verdict of this run's evidence (``above``,
#: ``not_distinguishable``, ``below``, ``too_few``) or ``no_evidence`` (the method's default, no
#: verdict), a slot ``not_kept`` when this run's evidence no longer keeps it (below the network's
#: rate or too few posts); a pillar ``brief_pillars`` (the brief's pillars changed).
REASONS: tuple[str, ...] = (
    "capacity_cut", "frequency_asked", "new_network", "network_left", "unchanged",
    "above", "not_distinguishable", "below", "too_few", "no_evidence", "not_kept", "brief_pillars",
)  # fmt: skip
#: The verdict of what worked (:data:`helpers.method.evidence.VERDICTS`).
ABOVE = "above"


class Horizon(NamedTuple):
    """The dates the new calendar covers and why (:func:`horizon`)."""

    start: dt.date
    end: dt.date
    #: one of :data:`HORIZON_REASONS`
    reason: str
    #: the previous calendar's last planned day (None without a previous calendar or post)
    previous_end: dt.date | None


def _dates(calendar: pd.DataFrame) -> pd.Series:
    if "date" not in calendar.columns:
        raise ValueError(f"previous calendar: no 'date' column (columns: {list(calendar.columns)})")
    return pd.Series(
        [d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in calendar["date"]]
    )


def _months(start: dt.date, end: dt.date) -> int | None:
    """The number of whole months from ``start`` to ``end`` (1 January–31 March: 3), or None when
    the span is not whole months."""
    if start.day != 1 or (end + dt.timedelta(days=1)).day != 1:
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _same_length(brief_start: dt.date, brief_end: dt.date, start: dt.date) -> dt.date:
    """The end of a span starting on ``start`` as long as the brief's horizon: as many whole months
    when the brief's horizon is whole months and ``start`` is a first of the month, else as many days."""
    months = _months(brief_start, brief_end)
    if months is None or start.day != 1:
        return start + (brief_end - brief_start)
    month = start.month - 1 + months
    following = dt.date(start.year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def horizon(
    brief_start: dt.date,
    brief_end: dt.date,
    previous_calendar: pd.DataFrame | None,
    relation: str | None = None,
    data_end: dt.date | None = None,
) -> Horizon:
    """The dates the new calendar covers.

    The brief's horizon, unless the cycle moved on (``relation`` in :data:`MOVED_ON`) and the
    previous calendar's last planned post falls on or after the brief's horizon start (the new
    calendar then starts the day after that post), or the brief's horizon started on or before
    ``data_end`` (it then starts the day after the data). Moved, it keeps the brief's horizon
    length (whole months when the brief's horizon is whole months, else days).

    Args:
        brief_start, brief_end: the brief's horizon (both days included).
        previous_calendar: the previous run's calendar (a ``date`` column), or None.
        relation: how this run's window stands to the previous run's
            (:func:`helpers.run.since.comparability`), None without a previous run.
        data_end: the last day of this run's data (None: not checked).

    Returns:
        A :class:`Horizon` (start, end, reason code of :data:`HORIZON_REASONS`, previous end).

    Raises:
        ValueError: the brief's horizon ends before it starts, or the calendar has no ``date``.
    """
    if brief_end < brief_start:
        raise ValueError(f"horizon: end {brief_end} comes before start {brief_start}")
    brief = Horizon(brief_start, brief_end, "no_previous", None)
    if previous_calendar is not None and relation is not None:
        dates = _dates(previous_calendar)
        if not dates.empty:
            brief = _after_previous(brief_start, brief_end, max(dates), relation)
    if data_end is not None and brief.start <= data_end:
        start = data_end + dt.timedelta(days=1)
        return Horizon(start, _same_length(brief_start, brief_end, start), "under_way", brief.previous_end)
    return brief


def _after_previous(brief_start: dt.date, brief_end: dt.date, last: dt.date, relation: str) -> Horizon:
    if relation == "same":
        return Horizon(brief_start, brief_end, "same_period", last)
    if relation not in MOVED_ON:
        return Horizon(brief_start, brief_end, "not_moved_on", last)
    if last < brief_start:
        return Horizon(brief_start, brief_end, "previous_before", last)
    start = last + dt.timedelta(days=1)
    return Horizon(start, _same_length(brief_start, brief_end, start), "follows", last)


# --------------------------------------------------------------------------- changes


def _weeks(calendar: pd.DataFrame) -> float:
    """Weeks the calendar covers: its horizon (``attrs``), else from its first to its last post."""
    start, end = calendar.attrs.get("horizon_start"), calendar.attrs.get("horizon_end")
    if start is None or end is None:
        dates = _dates(calendar)
        if dates.empty:
            return math.nan
        start, end = min(dates), max(dates)
    return ((end - start).days + 1) / 7


def _per_week(calendar: pd.DataFrame) -> dict[str, float]:
    weeks = _weeks(calendar)
    return {str(c): n / weeks for c, n in calendar.groupby("channel", sort=False).size().items()}


def _frequency_rows(
    previous: pd.DataFrame, calendar: pd.DataFrame, cut: Collection[str], order: list[str]
) -> list[dict]:
    before, now = _per_week(previous), _per_week(calendar)
    rows = []
    for ch in order:
        b, n = before.get(ch, 0.0), now.get(ch, 0.0)
        if n - b >= FREQUENCY_MOVE:
            change, reason = "up", "new_network" if b == 0 else "frequency_asked"
        elif b - n >= FREQUENCY_MOVE:
            change = "down"
            reason = "network_left" if n == 0 else ("capacity_cut" if ch in cut else "frequency_asked")
        else:
            change, reason = "same", "unchanged"
        rows.append(
            {"channel": ch, "kind": "frequency", "before": b, "now": n, "change": change, "reason": reason}
        )
    return rows


def _verdict(value: object) -> str:
    return str(value) if isinstance(value, str) and value else "no_evidence"


def _mix_shares(mix: pd.DataFrame, name: str) -> pd.DataFrame:
    if missing := {"channel", "format", "share", "verdict"} - set(mix.columns):
        raise ValueError(f"{name}: missing column(s) {sorted(missing)}")
    part = mix[pd.to_numeric(mix["share"], errors="coerce") > 0]
    return part.groupby(["channel", "format"], sort=False).agg(
        share=("share", "sum"), verdict=("verdict", "first")
    )


def _format_rows(previous_mix: pd.DataFrame, mix: pd.DataFrame, order: list[str]) -> list[dict]:
    before, now = _mix_shares(previous_mix, "previous format_mix"), _mix_shares(mix, "format_mix")
    keys = list(dict.fromkeys([*now.index, *before.index]))
    keys.sort(key=lambda k: order.index(k[0]) if k[0] in order else len(order))
    rows = []
    for key in keys:
        b = float(before.loc[key, "share"]) if key in before.index else 0.0
        n = float(now.loc[key, "share"]) if key in now.index else 0.0
        was_above = key in before.index and before.loc[key, "verdict"] == ABOVE
        reason = _verdict(now.loc[key, "verdict"]) if key in now.index else "not_kept"
        if b == 0:
            change = "added"
        elif n == 0:
            change = "dropped"
        elif n - b >= SHARE_MOVE - 1e-9:
            change = "up"
        elif b - n >= SHARE_MOVE - 1e-9:
            change = "down"
        elif was_above and reason == ABOVE:
            change = "kept"
        elif was_above:  # it worked before, the evidence no longer says so: its share is not grown
            change = "down" if n < b else "same"
        else:
            continue
        rows.append(
            {"channel": key[0], "kind": "format", "item": key[1], "before": b, "now": n,
             "change": change, "reason": reason, "was_above": was_above}
        )  # fmt: skip
    return rows


def _slot_table(slots: pd.DataFrame, name: str) -> pd.DataFrame:
    if missing := {"channel", "weekday", "hour", "verdict"} - set(slots.columns):
        raise ValueError(f"{name}: missing column(s) {sorted(missing)}")
    keyed = slots.assign(weekday=slots["weekday"].astype(int), hour=slots["hour"].astype(int))
    return keyed.drop_duplicates(["channel", "weekday", "hour"]).set_index(["channel", "weekday", "hour"])


def _slot_posts(calendar: pd.DataFrame) -> dict[tuple[str, int, int], int]:
    """Posts per (network, weekday, hour) of the calendar, in its own (local) time."""
    counts: dict[tuple[str, int, int], int] = {}
    for channel, start in zip(calendar["channel"], calendar["start"], strict=True):
        when = pd.Timestamp(start)
        key = (str(channel), int(when.weekday()), int(when.hour))
        counts[key] = counts.get(key, 0) + 1
    return counts


def _slot_rows(
    previous_slots: pd.DataFrame,
    slots: pd.DataFrame,
    previous_calendar: pd.DataFrame,
    calendar: pd.DataFrame,
    order: list[str],
) -> list[dict]:
    before, now = _slot_table(previous_slots, "previous slots"), _slot_table(slots, "slots")
    posts_before, posts_now = _slot_posts(previous_calendar), _slot_posts(calendar)
    keys = list(dict.fromkeys([*before.index, *now.index]))
    keys.sort(key=lambda k: (order.index(k[0]) if k[0] in order else len(order), k[1], k[2]))
    rows = []
    for key in keys:
        was_above = key in before.index and before.loc[key, "verdict"] == ABOVE
        if key not in now.index:
            change, reason = "dropped", "not_kept"
        else:
            reason = _verdict(now.loc[key, "verdict"])
            if key not in before.index:
                change = "added"
            elif was_above and reason == ABOVE:
                change = "kept" if posts_now.get(key, 0) else "unused"
            else:
                continue
        rows.append(
            {"channel": key[0], "kind": "slot", "weekday": key[1], "hour": key[2],
             "before": float(posts_before.get(key, 0)), "now": float(posts_now.get(key, 0)),
             "change": change, "reason": reason, "was_above": was_above}
        )  # fmt: skip
    return rows


def _pillar_rows(previous_calendar: pd.DataFrame, calendar: pd.DataFrame) -> list[dict]:
    def pillars(cal: pd.DataFrame) -> list[str]:
        if "pillar" not in cal.columns:
            return []
        return [str(p) for p in dict.fromkeys(cal["pillar"]) if isinstance(p, str) and p]

    before, now = pillars(previous_calendar), pillars(calendar)
    rows = [{"item": p, "change": "added", "before": 0.0} for p in now if p not in before]
    rows += [{"item": p, "change": "dropped", "before": 1.0} for p in before if p not in now]
    return [
        {"channel": "all", "kind": "pillar", "now": 1.0 - r["before"], "reason": "brief_pillars", **r}
        for r in rows
    ]


def changes(
    previous_mix: pd.DataFrame,
    mix: pd.DataFrame,
    previous_slots: pd.DataFrame,
    slots: pd.DataFrame,
    previous_calendar: pd.DataFrame,
    calendar: pd.DataFrame,
    *,
    cut: Collection[str] = (),
) -> pd.DataFrame:
    """What the new plan changes from the previous one, and why.

    Args:
        previous_mix, mix: the previous run's and this run's ``format_mix.csv`` (``channel``,
            ``format``, ``share``, ``verdict``).
        previous_slots, slots: the previous run's and this run's ``slots.csv`` (``channel``,
            ``weekday``, ``hour``, ``verdict``): the slots each calendar was placed on.
        previous_calendar, calendar: the previous and the new calendar (``date``, ``start``,
            ``channel``, ``pillar``; the new one's ``attrs`` give its horizon).
        cut: the networks this plan cut to the team's hours
            (:attr:`helpers.method.planning.Plan.cuts`).

    Returns:
        :data:`CHANGE_COLUMNS`, one row per change, in this order:

        * ``frequency``: every network, posts per week ``before`` and ``now`` (each calendar's
          posts over its weeks), ``same`` unless they moved by :data:`FREQUENCY_MOVE`;
        * ``format``: a format whose share moved by at least :data:`SHARE_MOVE`, came or went,
          or that was ``above`` before (``kept`` when it stays); ``before``/``now`` its shares (0
          when absent), ``reason`` this run's verdict;
        * ``slot``: a slot added or dropped from the slots planned on, or ``above`` before and
          still ``above`` (``kept`` when the new calendar posts there, ``unused`` when not);
          ``weekday`` (0 = Monday) and ``hour``, ``before``/``now`` the posts each calendar
          places there;
        * ``pillar``: a pillar added or dropped (``channel`` ``all``; ``before``/``now`` 1 when
          the calendar has it).

        ``item`` is the format or the pillar ("" otherwise), ``weekday``/``hour`` are NA but for
        slots, ``was_above`` says the previous plan's verdict was ``above`` (what worked).

    Raises:
        ValueError: a table lacks a column (its name and the columns missing).
    """
    for name, frame in (("previous calendar", previous_calendar), ("calendar", calendar)):
        if missing := {"date", "start", "channel"} - set(frame.columns):
            raise ValueError(f"{name}: missing column(s) {sorted(missing)}")
    order = list(
        dict.fromkeys([*mix.get("channel", []), *calendar["channel"], *previous_calendar["channel"]])
    )
    rows = (
        _frequency_rows(previous_calendar, calendar, cut, order)
        + _format_rows(previous_mix, mix, order)
        + _slot_rows(previous_slots, slots, previous_calendar, calendar, order)
        + _pillar_rows(previous_calendar, calendar)
    )
    table = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    return table.assign(
        item=table["item"].fillna("").astype(str),
        weekday=table["weekday"].astype("Int64"),
        hour=table["hour"].astype("Int64"),
        before=table["before"].astype(float),
        now=table["now"].astype(float),
        was_above=table["was_above"].fillna(False).astype(bool),
    )


def kept_what_worked(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`changes` for what worked (``was_above``) and is still ``above`` now:
    ``kept`` when it stays in the plan, ``unused``/``dropped`` when it does not."""
    return table[table["was_above"] & (table["reason"] == ABOVE)]
