"""Step 6 of the method, planning: the content calendar, its workload and its budget.

``build_calendar`` turns the brief (frequencies, pillars, goals, horizon, public holidays)
plus the preferred publishing slots and the format mix into one row per planned post.
The calendar exports to CSV and to an RFC 5545 ``.ics`` file, and feeds the workload per
role, the budget per network and a month view. Every function is pure and deterministic.

A plan the data supports:

* **days used**: a network posts only on the weekdays the brand used for it
  (:func:`used_weekdays`: at least ``USED_DAY_SHARE`` of its past posts), or the brief's
  ``planning.days``; its slots, fallback hours and ``DEFAULT_SLOTS`` are kept to those days;
* **brand dates**: each of the brief's ``planning.notable_dates`` gets a post on each main
  network (:func:`main_networks`) on that day;
* **goals**: a post is tied only to a goal its network and format can move (``GOAL_FIT``);
* **capacity**: :func:`fit_to_capacity` lowers the lowest-priority network's frequency until
  the team's hours cover the plan, or, with ``planning.keep_frequency``, states the hours to find.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays as _holidays
import numpy as np
import pandas as pd

from helpers.client.brief import WEEKDAYS, Brief, Goal, TeamRole
from helpers.client.loading import guard_cell, unguard_cells, write_csv
from helpers.client.schemas import FORMATS

if TYPE_CHECKING:
    pass

#: Posts per week per network from the method's guidance (Facebook up to 3 a day,
#: Instagram 1-2 a day, X several a day, LinkedIn about 5 a week).
DEFAULT_FREQUENCY: dict[str, float] = {
    "facebook": 7.0, "instagram": 10.0, "x": 21.0, "linkedin": 5.0, "tiktok": 5.0, "youtube": 1.0,
}  # fmt: skip
#: Hours of work (brief, creation, editing, approval) per post, by format.
DEFAULT_EFFORT_HOURS: dict[str, float] = {
    "photo": 1.5, "video": 6.0, "reel": 4.0, "carousel": 3.0,
    "story": 0.5, "text": 0.75, "link": 0.75, "other": 1.0,
}  # fmt: skip
#: Share of a post's effort taken by each role of the method (sums to 1).
ROLE_SPLIT: dict[str, float] = {"content_lead": 0.25, "creator": 0.6, "editor": 0.15}
#: Format used for a network absent from the format mix.
DEFAULT_FORMAT: dict[str, str] = {
    "facebook": "photo", "instagram": "photo", "linkedin": "text",
    "x": "text", "tiktok": "video", "youtube": "video",
}  # fmt: skip
#: Slots (weekday 0=Monday, hour) used for a network absent from the slots table.
DEFAULT_SLOTS: tuple[tuple[int, int], ...] = tuple((d, h) for d in range(5) for h in (12, 18))
#: Hours tried, in order, when a day needs more posts than its preferred slots.
FALLBACK_HOURS: tuple[int, ...] = (12, 18, 9, 15, 20, 10, 17, 8, 21, 14)
#: At most this many posts a day on any network.
MAX_PER_DAY = 3
#: Length of a calendar event.
EVENT_MINUTES = 30
CHANNEL_LABELS: dict[str, str] = {
    "facebook": "Facebook", "instagram": "Instagram", "linkedin": "LinkedIn",
    "x": "X", "tiktok": "TikTok", "youtube": "YouTube",
}  # fmt: skip
#: Columns of the calendar, in order.
CALENDAR_COLUMNS: tuple[str, ...] = (
    "post_no", "date", "start", "end", "channel", "format", "pillar", "goal_id",
    "objective", "holiday", "moment", "moved_from", "effort_hours", "timezone",
)  # fmt: skip
#: Columns a calendar read back cannot do without (the others, when absent, stay absent).
_REQUIRED_COLUMNS: tuple[str, ...] = (
    "post_no", "date", "start", "end", "channel", "moved_from", "effort_hours",
)  # fmt: skip
_TEXT_COLUMNS = ("channel", "format", "pillar", "goal_id", "objective", "holiday", "moment", "timezone")
#: A weekday is one the brand uses for a network when it holds at least this share of the
#: network's past posts (0.05 = 5 %): below it, posting there is not the brand's habit and the
#: data say nothing of how it works.
USED_DAY_SHARE = 0.05
#: A network is a main one (it posts on the brand's own dates) when its posts per week reach
#: this share of the most frequent network's (0.5 = at least half as often as the busiest).
MAIN_NETWORK_SHARE = 0.5
#: Posts per week a capacity cut never goes below: a network kept in the plan is posted on
#: at least weekly (a network the brief plans below it is never cut).
MIN_FREQUENCY = 1.0
#: Posts per week removed from a network at each step of a capacity cut.
FREQUENCY_STEP = 0.5
#: Formats of the feed (a story is not one: it is seen apart, for a day).
FEED_FORMATS: frozenset[str] = frozenset(FORMATS) - {"story"}
_ANY_FORMAT: frozenset[str] = frozenset(FORMATS)
#: Which planned posts can move a goal, per KPI of the goal (else per objective): a list of
#: (networks, formats) rules, ``None`` for any network; a post fits a goal when its network is in
#: the goal's scope and some rule names both its network and its format. No rule: no post moves
#: the goal (care work, sales' work), and no post is tied to it.
#:
#: * reach, impressions: any format on the goal's networks, stories included;
#: * followers, engagement rate, interactions, mentions, share of voice: feed formats;
#: * leads, SQLs: any feed format on LinkedIn (lead generation), a link post on any network;
#: * response rate, response time, net sentiment: none (answering messages is care work);
#: * lead-to-SQL rate: none (qualifying leads is sales' work).
GOAL_FIT: dict[str, tuple[tuple[frozenset[str] | None, frozenset[str]], ...]] = {
    "reach": ((None, _ANY_FORMAT),),
    "impressions": ((None, _ANY_FORMAT),),
    "followers": ((None, FEED_FORMATS),),
    "engagement_rate": ((None, FEED_FORMATS),),
    "interactions": ((None, FEED_FORMATS),),
    "mentions": ((None, FEED_FORMATS),),
    "share_of_voice": ((None, FEED_FORMATS),),
    "sqls": ((frozenset({"linkedin"}), FEED_FORMATS), (None, frozenset({"link"}))),
    "response_rate": (),
    "response_time_median": (),
    "net_sentiment": (),
    "lead_to_sql": (),
    # a KPI not listed above: its objective's rule (leads is both a KPI and an objective)
    "awareness": ((None, _ANY_FORMAT),),
    "community": ((None, FEED_FORMATS),),
    "engagement": ((None, FEED_FORMATS),),
    "satisfaction": (),
    "leads": ((frozenset({"linkedin"}), FEED_FORMATS), (None, frozenset({"link"}))),
}
_UNIT = "us"


def frequency_table(brief: Brief) -> pd.DataFrame:
    """Posts per week for each of the brand's networks.

    Args:
        brief: the client brief; ``planning.frequency`` overrides the method's defaults.

    Returns:
        Columns ``channel``, ``posts_per_week``, ``source`` ("brief" or "method default"),
        one row per network of ``brief.channels``, in the brief's order.
    """
    rows = []
    for ch in brief.channels:
        given = brief.planning.frequency.get(ch)
        rows.append(
            {
                "channel": ch,
                "posts_per_week": float(given if given is not None else DEFAULT_FREQUENCY[ch]),
                "source": "brief" if given is not None else "method default",
            }
        )
    return pd.DataFrame(rows, columns=["channel", "posts_per_week", "source"])


def used_weekdays(
    posts: pd.DataFrame, tz: str, channels: Sequence[str], min_share: float = USED_DAY_SHARE
) -> dict[str, frozenset[int]]:
    """The weekdays (0 = Monday, in the client's local time) the brand used for each network.

    A weekday is used when it holds at least ``min_share`` of the network's posts of the period.
    A network without any post in the table is left out (nothing says which days it uses).

    Args:
        posts: the posts table (``channel``, ``published_at`` in UTC).
        tz: the client's time zone.
        channels: the networks to look at.
        min_share: share of the network's posts a weekday needs (``USED_DAY_SHARE``).

    Raises:
        ValueError: a missing column, or ``min_share`` outside [0, 1).
    """
    if not 0 <= min_share < 1:
        raise ValueError(f"min_share must be in [0, 1) (0.05 = 5 %), got {min_share}")
    if missing := {"channel", "published_at"} - set(posts.columns):
        raise ValueError(f"posts: missing column(s) {sorted(missing)}")
    when = pd.to_datetime(posts["published_at"], utc=True).dt.tz_convert(tz)
    weekday = pd.Series(when.dt.day_of_week.to_numpy(), index=posts.index)
    out = {}
    for channel in channels:
        days = weekday[(posts["channel"] == channel).to_numpy()].dropna()
        if days.empty:
            continue
        shares = days.value_counts(normalize=True)
        out[channel] = frozenset(int(d) for d, share in shares.items() if share >= min_share - 1e-12)
    return out


def publishing_days(brief: Brief, posts: pd.DataFrame | None = None) -> dict[str, frozenset[int]]:
    """The weekdays each network of the brief may post on: the brief's ``planning.days`` where
    given, else the weekdays used in the period (:func:`used_weekdays`); a network with neither
    is left out (its slots, or ``DEFAULT_SLOTS``, decide)."""
    found = used_weekdays(posts, brief.client.timezone, brief.channels) if posts is not None else {}
    out = {}
    for channel in brief.channels:
        given = brief.planning.days.get(channel)
        if given:
            out[channel] = frozenset(WEEKDAYS.index(d) for d in given)
        elif channel in found:
            out[channel] = found[channel]
    return out


def main_networks(frequency: Mapping[str, float], share: float = MAIN_NETWORK_SHARE) -> list[str]:
    """The networks posting at least ``share`` as often as the most frequent one (in the mapping's
    order): the ones the brand's own dates are published on. None when nothing is planned."""
    top = max(frequency.values(), default=0.0)
    if top <= 0:
        return []
    return [ch for ch, per_week in frequency.items() if per_week > 0 and per_week >= share * top - 1e-9]


def goal_fits(goal: Goal, channel: str, fmt: str) -> bool:
    """Whether a post on ``channel`` in format ``fmt`` can move ``goal`` (``GOAL_FIT``): its network
    is in the goal's scope (the network, or every network for ``all`` and a persona) and a rule
    of the goal's KPI (else of its objective) names both the network and the format."""
    if goal.scope not in ("all", channel) and not goal.scope.startswith("persona:"):
        return False
    rules = GOAL_FIT.get(goal.kpi, GOAL_FIT.get(goal.objective, ()))
    return any((nets is None or channel in nets) and fmt in formats for nets, formats in rules)


def effort_hours(brief: Brief | None = None) -> dict[str, float]:
    """Hours per post by format: the method's defaults overridden by the brief."""
    table = dict(DEFAULT_EFFORT_HOURS)
    if brief is not None:
        table.update(brief.planning.effort_hours)
    return table


def public_holidays(brief: Brief, lang: str | None = None) -> dict[dt.date, str]:
    """Public holidays of the client's country (and region) inside the horizon.

    Names are in ``lang`` (the brief's language by default) when the ``holidays`` package has
    it, else in the country's own language.
    """
    start, end = brief.horizon.start, brief.horizon.end
    country = _holidays.country_holidays(brief.client.country)
    langs = [x for x in country.supported_languages if x.startswith(lang or brief.client.lang)]
    found = _holidays.country_holidays(
        brief.client.country,
        subdiv=brief.client.region,
        years=range(start.year, end.year + 1),
        language=langs[0] if langs else None,
    )
    return {d: str(name) for d, name in sorted(found.items()) if start <= d <= end}


# --------------------------------------------------------------------------- placement


@dataclass(frozen=True)
class _Slots:
    by_weekday: dict[int, list[int]]  # ranked hours per weekday
    day_score: dict[int, float]  # best score per weekday
    hours: list[int]  # ranked distinct hours over the week
    days: frozenset[int] | None = None  # the weekdays the network may post on; None: any

    def allows(self, weekday: int) -> bool:
        return self.days is None or weekday in self.days


def _score_column(own: pd.DataFrame) -> pd.Series:
    """A slot's score: ``score``, else ``rate``, else the table's order (best first)."""
    for name in ("score", "rate"):
        if name in own:
            return pd.to_numeric(own[name], errors="coerce").astype(float).fillna(-math.inf)
    return pd.Series(-np.arange(len(own), dtype=float), own.index)


def _channel_slots(slots: pd.DataFrame | None, channel: str, days: Collection[int] | None = None) -> _Slots:
    """The network's slots, best first, kept to ``days`` (weekdays it may post on; None: any).

    Without a slot on those days, ``DEFAULT_SLOTS`` on those days, else noon and 18:00 on them."""
    allowed = frozenset(int(d) for d in days) if days is not None else None
    if allowed is not None and (not allowed or not allowed <= set(range(7))):
        raise ValueError(f"days: {channel} needs weekdays between 0 (Monday) and 6, got {sorted(allowed)}")
    if slots is not None and len(slots):
        missing = {"channel", "weekday", "hour"} - set(slots.columns)
        if missing:
            raise ValueError(f"slots: missing column(s) {sorted(missing)}")
        own = slots[slots["channel"] == channel]
    else:
        own = pd.DataFrame(columns=["weekday", "hour"])
    pairs: list[tuple[int, int, float]] = []
    if len(own):
        own = own.assign(_s=_score_column(own), _o=range(len(own)))
        own = own.sort_values(["_s", "_o"], ascending=[False, True], kind="stable")
        pairs = [(int(w), int(h), float(s)) for w, h, s in own[["weekday", "hour", "_s"]].to_numpy()]
        for wd, hour, _ in pairs:
            if not (0 <= wd <= 6 and 0 <= hour <= 23):
                raise ValueError(f"slots: {channel} weekday {wd} / hour {hour} out of range")
        pairs = [p for p in pairs if allowed is None or p[0] in allowed]
    if not pairs:
        pairs = [(w, h, 1.0) for w, h in DEFAULT_SLOTS if allowed is None or w in allowed]
    if not pairs:
        pairs = [(w, h, 1.0) for w in sorted(allowed or ()) for h in FALLBACK_HOURS[:2]]
    by_weekday: dict[int, list[int]] = {}
    day_score: dict[int, float] = {}
    for wd, hour, score in pairs:
        by_weekday.setdefault(wd, []).append(hour)
        day_score.setdefault(wd, score)
    return _Slots(by_weekday, day_score, list(dict.fromkeys(h for _, h, _ in pairs)), allowed)


def _weeks(start: dt.date, end: dt.date) -> list[list[dt.date]]:
    """Monday-to-Sunday weeks of the horizon, clipped to it (inclusive)."""
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    weeks: list[list[dt.date]] = []
    for day in days:
        if not weeks or day.weekday() == 0:
            weeks.append([])
        weeks[-1].append(day)
    return weeks


def _quotas(per_week: float, weeks: list[list[dt.date]], days: frozenset[int] | None = None) -> list[int]:
    """Posts per week so the running total follows ``per_week`` × elapsed days / 7, counting only
    the weekdays the network posts on (``days``; None: every day)."""
    quotas, done, elapsed = [], 0, 0
    per_day = per_week / (len(days) if days is not None else 7)
    for week in weeks:
        elapsed += sum(1 for d in week if days is None or d.weekday() in days)
        due = math.floor(per_day * elapsed + 0.5)
        quotas.append(due - done)
        done = due
    return quotas


def _pick_day(days: list[dt.date], counts: dict[dt.date, int], slots: _Slots) -> dt.date | None:
    pool = [d for d in days if counts[d] < MAX_PER_DAY]
    if not pool:
        return None
    busy = [d for d in days if counts[d]]

    def key(day: dt.date) -> tuple:
        spread = min((abs((day - b).days) for b in busy), default=7)
        return (counts[day], -slots.day_score.get(day.weekday(), -math.inf), -spread, day)

    return min(pool, key=key)


def _free_hour(weekday: int, used: Collection[int], slots: _Slots, first: int = -1) -> int:
    """``first`` if free, else the weekday's best slot hours, the week's, then fallbacks."""
    ranked = [first, *slots.by_weekday.get(weekday, []), *slots.hours, *FALLBACK_HOURS]
    return next(h for h in ranked if h >= 0 and h not in used)


def _place_week(days: list[dt.date], n: int, slots: _Slots) -> list[tuple[dt.date, int]]:
    """Spread ``n`` posts over ``days``: one a day before doubling up, best slots first.

    Only the weekdays the network posts on are used. Among days with as few posts, the
    best-scored weekday wins (days without any slot come last), then the day farthest from
    those already used, then the earliest.
    """
    days = [d for d in days if slots.allows(d.weekday())]
    counts = dict.fromkeys(days, 0)
    used: dict[dt.date, list[int]] = {d: [] for d in days}
    placed = []
    for _ in range(n):
        day = _pick_day(days, counts, slots)
        if day is None:
            break
        hour = _free_hour(day.weekday(), used[day], slots)
        counts[day] += 1
        used[day].append(hour)
        placed.append((day, hour))
    return placed


def _next_open_day(
    post: dict, hols: Mapping[dt.date, str], taken: dict, end: dt.date, slots: _Slots
) -> dt.date | None:
    day = post["date"] + dt.timedelta(days=1)
    while day <= end:
        room = len(taken.get((post["channel"], day), ())) < MAX_PER_DAY
        if day not in hols and room and slots.allows(day.weekday()):
            return day
        day += dt.timedelta(days=1)
    return None


def _avoid_holidays(
    posts: list[dict], hols: Mapping[dt.date, str], end: dt.date, slots: Mapping[str, _Slots]
) -> tuple[list[dict], int]:
    """Move posts off holidays to the next non-holiday day with room that the network posts on;
    count those dropped.

    A moved post keeps its hour unless the network already posts then that day; it then
    takes the network's next best free hour.
    """
    taken: dict[tuple[str, dt.date], set[int]] = {}
    for p in posts:
        if p["date"] not in hols:
            taken.setdefault((p["channel"], p["date"]), set()).add(p["hour"])
    kept, dropped = [], 0
    for p in posts:
        if p["date"] in hols:
            day = _next_open_day(p, hols, taken, end, slots[p["channel"]])
            if day is None:
                dropped += 1
                continue
            used = taken.setdefault((p["channel"], day), set())
            hour = _free_hour(day.weekday(), used, slots[p["channel"]], first=p["hour"])
            used.add(hour)
            p = {**p, "date": day, "hour": hour, "moved_from": p["date"]}
        kept.append(p)
    return kept, dropped


def _pin_moments(
    posts: list[dict],
    moments: Sequence[tuple[dt.date, str]],
    mains: Sequence[str],
    slots: Mapping[str, _Slots],
) -> tuple[list[dict], list[tuple[dt.date, str]]]:
    """Give each brand date a post on each main network, that day.

    A network's post already on that day is the date's; else its post of the same Monday-to-Sunday
    week nearest to the date (not already another date's) moves there, at the weekday's best free
    hour; else one post is added. A date on a weekday the network does not post on is skipped for
    it: returned as ``(date, channel)``.
    """
    skipped = []
    for day, name in moments:
        monday = day - dt.timedelta(days=day.weekday())
        for ch in mains:
            if not slots[ch].allows(day.weekday()):
                skipped.append((day, ch))
                continue
            own = [p for p in posts if p["channel"] == ch and not p.get("moment")]
            same_day = [p for p in own if p["date"] == day]
            week = [p for p in own if monday <= p["date"] < monday + dt.timedelta(days=7)]
            if same_day:
                same_day[0]["moment"] = name
                continue
            used = [p["hour"] for p in posts if p["channel"] == ch and p["date"] == day]
            hour = _free_hour(day.weekday(), used, slots[ch])
            if week:
                nearest = min(week, key=lambda p: (abs((p["date"] - day).days), p["date"], p["hour"]))
                nearest.update(date=day, hour=hour, moment=name)
            else:
                posts.append({"channel": ch, "date": day, "hour": hour, "moved_from": None, "moment": name})
    return posts, skipped


# --------------------------------------------------------------------------- content


def _channel_mix(format_mix: pd.DataFrame | None, channel: str) -> list[tuple[str, float]]:
    """Formats and shares of one network, largest share first, normalised to sum to 1."""
    if format_mix is not None and len(format_mix):
        if missing := {"channel", "format", "share"} - set(format_mix.columns):
            raise ValueError(f"format_mix: missing column(s) {sorted(missing)}")
        own = format_mix[(format_mix["channel"] == channel) & (format_mix["share"] > 0)]
        shares = own.groupby("format", sort=False)["share"].sum()
        if len(shares):
            mix = [(str(f), float(s) / float(shares.sum())) for f, s in shares.items()]
            return sorted(mix, key=lambda item: -item[1])
    return [(DEFAULT_FORMAT.get(channel, "other"), 1.0)]


def _format_sequence(mix: list[tuple[str, float]], n: int) -> list[str]:
    """``n`` formats whose counts follow the mix (largest remainder), evenly interleaved."""
    quotas = [round(share * n, 9) for _, share in mix]
    counts = [math.floor(q) for q in quotas]
    by_remainder = sorted(range(len(mix)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    done = [0] * len(mix)
    sequence = []
    for k in range(1, n + 1):
        pending = [i for i in range(len(mix)) if done[i] < counts[i]]
        best = max(pending, key=lambda i: (counts[i] * k / n - done[i], -i))
        done[best] += 1
        sequence.append(mix[best][0])
    return sequence


def goals_for(goals: Sequence[Goal], channel: str, fmt: str) -> list[Goal]:
    """The goals a post can move (:func:`goal_fits`): those scoped to its network when any fits,
    else those on every network; empty when none fits (the post is tied to no goal)."""
    fitting = [g for g in goals if goal_fits(g, channel, fmt)]
    own = [g for g in fitting if g.scope == channel]
    return own or fitting


def _to_frame(posts: list[dict], brief: Brief, hols: Mapping[dt.date, str]) -> pd.DataFrame:
    order = {c: i for i, c in enumerate(brief.channels)}
    posts = sorted(posts, key=lambda p: (p["date"], p["hour"], order[p["channel"]]))
    naive = pd.Series(
        [dt.datetime.combine(p["date"], dt.time(p["hour"])) for p in posts], dtype=f"datetime64[{_UNIT}]"
    )
    start = naive.dt.tz_localize(
        brief.client.timezone, ambiguous=np.ones(len(naive), dtype=bool), nonexistent="shift_forward"
    )
    return pd.DataFrame(
        {
            "post_no": pd.Series(range(1, len(posts) + 1), dtype="int64"),
            "date": pd.Series([p["date"] for p in posts], dtype=object),
            "start": start,
            "end": start + pd.Timedelta(minutes=EVENT_MINUTES),
            "channel": pd.Series([p["channel"] for p in posts], dtype="str"),
            "holiday": pd.Series([hols.get(p["date"], "") for p in posts], dtype="str"),
            "moment": pd.Series([p.get("moment") or "" for p in posts], dtype="str"),
            "moved_from": pd.Series([p["moved_from"] for p in posts], dtype=object),
        }
    )


def _assign_content(frame: pd.DataFrame, brief: Brief, format_mix: pd.DataFrame | None) -> None:
    """Fill format, pillar, goal and effort per post, in post order within each network.

    A post is tied to a goal it can move (:func:`goals_for`), in turn when several can, so each
    gets its share; to none ("") when none can."""
    pillars, efforts = brief.planning.pillars, effort_hours(brief)
    columns: dict[str, list] = {k: [] for k in ("format", "pillar", "goal_id", "objective")}
    sequences = {
        ch: _format_sequence(_channel_mix(format_mix, ch), int((frame["channel"] == ch).sum()))
        for ch in brief.channels
    }
    seen = dict.fromkeys(brief.channels, 0)
    turns: dict[tuple[str, ...], int] = {}
    offset = {ch: i for i, ch in enumerate(brief.channels)}
    for ch in frame["channel"]:
        k = seen[ch]
        seen[ch] += 1
        fmt = sequences[ch][k]
        columns["format"].append(fmt)
        columns["pillar"].append(pillars[(k + offset[ch]) % len(pillars)] if pillars else "")
        pool = goals_for(brief.goals, ch, fmt)
        key = tuple(g.id for g in pool)
        goal = pool[turns.get(key, 0) % len(pool)] if pool else None
        turns[key] = turns.get(key, 0) + 1
        columns["goal_id"].append(goal.id if goal else "")
        columns["objective"].append(goal.objective if goal else "")
    for name, values in columns.items():
        frame[name] = pd.Series(values, index=frame.index, dtype="str")
    frame["effort_hours"] = [float(efforts.get(f, efforts.get("other", 1.0))) for f in frame["format"]]
    frame["effort_hours"] = frame["effort_hours"].astype("float64")
    frame["timezone"] = pd.Series(brief.client.timezone, index=frame.index, dtype="str")


def build_calendar(
    brief: Brief,
    slots: pd.DataFrame | None = None,
    format_mix: pd.DataFrame | None = None,
    holidays_rule: str | None = None,
    lang: str | None = None,
    *,
    days: Mapping[str, Collection[int]] | None = None,
    frequency: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Plan every post of the horizon (holiday names in ``lang``, the brief's by default).

    Each Monday-to-Sunday week of ``brief.horizon`` (clipped, both ends included) gets the
    network's posts per week pro rata of its publishing days, so the horizon total is
    ``round(publishing days / publishing days a week × posts_per_week)``. Posts go one a day before
    any day gets a second (at most ``MAX_PER_DAY``), on the best-scored weekdays and hours first,
    and only on the weekdays the network posts on. Each of the brief's own dates
    (``planning.notable_dates``) then gets a post on each main network (:func:`main_networks` of
    the frequencies the brief asks, so a capacity cut does not take a network off the brand's
    dates: its post of that week moves there).

    Args:
        brief: the client brief (networks, frequencies, pillars, goals, horizon, zone).
        slots: preferred slots in local time, columns ``channel``, ``weekday`` (0=Monday),
            ``hour`` (0-23) and optionally ``score`` or ``rate`` (higher is better; without
            them, rows are best first); other columns are ignored. Networks absent use
            ``DEFAULT_SLOTS``.
        format_mix: columns ``channel``, ``format``, ``share``; absent networks use
            ``DEFAULT_FORMAT``. Formats are dealt by largest remainder, not at random.
        holidays_rule: "avoid" (move a post on a public holiday to the next non-holiday day
            with room, at the same hour when free; drop it if no day remains in the
            horizon) or "target" (keep it, name the holiday). Defaults to
            ``brief.planning.holidays``. A brand date's post stays on its date.
        days: weekdays (0 = Monday) each network may post on (:func:`publishing_days`); a
            network absent posts on any day its slots name.
        frequency: posts per week per network, replacing :func:`frequency_table`'s (a plan
            cut to the team's capacity, :func:`fit_to_capacity`).

    Returns:
        One row per post, columns ``CALENDAR_COLUMNS``: ``start``/``end`` tz-aware in the
        client's zone, ``date`` and ``moved_from`` as ``datetime.date`` (``moved_from`` None
        unless moved off a holiday), ``moment`` the brand date a post is for ("" otherwise),
        ``goal_id`` "" for a post no goal fits. ``attrs`` holds ``timezone``, ``horizon_start``,
        ``horizon_end``, ``holidays_rule``, ``dropped`` (posts with no day left), ``capped``
        (posts beyond ``MAX_PER_DAY`` × days), ``main_networks`` and ``moments_skipped``
        (``(date, network)`` of brand dates on a weekday the network does not post on).

    Raises:
        ValueError: unknown rule, slots or days out of range, or a table missing columns.
    """
    rule = holidays_rule or brief.planning.holidays
    if rule not in ("avoid", "target"):
        raise ValueError(f"holidays_rule must be 'avoid' or 'target', got {rule!r}")
    start, end = brief.horizon.start, brief.horizon.end
    weeks = _weeks(start, end)
    posts: list[dict] = []
    capped = 0
    table = frequency_table(brief)
    mains = main_networks(dict(table[["channel", "posts_per_week"]].to_numpy()))
    if frequency is not None:
        if unknown := set(frequency) - set(table["channel"]):
            raise ValueError(f"frequency: network(s) {sorted(unknown)} are not the brief's")
        table["posts_per_week"] = [
            float(frequency.get(c, p)) for c, p in table[["channel", "posts_per_week"]].to_numpy()
        ]
    days = days or {}
    ch_slots = {ch: _channel_slots(slots, ch, days.get(ch)) for ch in table["channel"]}
    for ch, per_week in table[["channel", "posts_per_week"]].to_numpy():
        for week, n in zip(weeks, _quotas(per_week, weeks, ch_slots[ch].days), strict=True):
            placed = _place_week(week, n, ch_slots[ch])
            capped += n - len(placed)
            posts += [{"channel": ch, "date": d, "hour": h, "moved_from": None} for d, h in placed]
    hols = public_holidays(brief, lang)
    dropped = 0
    if rule == "avoid":
        posts.sort(key=lambda p: (p["date"], p["hour"]))
        posts, dropped = _avoid_holidays(posts, hols, end, ch_slots)
    moments = [(d.date, d.name) for d in brief.planning.notable_dates if start <= d.date <= end]
    posts, skipped = _pin_moments(posts, moments, mains, ch_slots)
    frame = _to_frame(posts, brief, hols if rule == "target" else {})
    _assign_content(frame, brief, format_mix)
    frame = frame[list(CALENDAR_COLUMNS)]
    frame.attrs = {
        "timezone": brief.client.timezone,
        "horizon_start": start,
        "horizon_end": end,
        "holidays_rule": rule,
        "dropped": dropped,
        "capped": capped,
        "main_networks": mains,
        "moments_skipped": skipped,
    }
    return frame


@dataclass(frozen=True)
class Plan:
    """A calendar fitted to the team's capacity (:func:`fit_to_capacity`).

    Attributes:
        calendar: the planned posts (:func:`build_calendar`).
        frequency: posts per week per network, as planned (after any cut).
        cuts: one row per network whose frequency was lowered: ``channel``,
            ``per_week_before``, ``per_week_after``, ``posts_before``, ``posts_after``,
            ``hours_saved``; empty when nothing was cut.
        workload: :func:`workload` of the calendar against the team.
        hours_to_find: per role, the hours the plan still needs beyond the team's capacity over
            the horizon (only the roles over capacity; empty when the plan fits).
        kept: the brief asked to keep the frequencies (``planning.keep_frequency``).
        priority: the networks from the first to keep to the first to cut, as applied.
    """

    calendar: pd.DataFrame
    frequency: dict[str, float]
    cuts: pd.DataFrame
    workload: pd.DataFrame
    hours_to_find: dict[str, float]
    kept: bool
    priority: list[str]


CUT_COLUMNS = ("channel", "per_week_before", "per_week_after", "posts_before", "posts_after", "hours_saved")


def _over(load: pd.DataFrame) -> dict[str, float]:
    if "capacity" not in load:
        return {}
    over = load["hours"] - load["capacity"]
    return {r: float(h) for r, h in zip(load["role"], over, strict=True) if h > 1e-9}


def fit_to_capacity(
    brief: Brief,
    slots: pd.DataFrame | None = None,
    format_mix: pd.DataFrame | None = None,
    *,
    priority: Sequence[str] | None = None,
    days: Mapping[str, Collection[int]] | None = None,
    holidays_rule: str | None = None,
    lang: str | None = None,
) -> Plan:
    """The calendar of :func:`build_calendar`, cut to the hours the team has.

    The priority is ``priority``, except that a network none of whose planned posts serves a goal
    (:func:`goals_for`) comes last: its posts are the first to go. While a role of
    ``brief.team`` needs more hours than it has over the horizon, the lowest-priority network
    still above ``MIN_FREQUENCY`` posts per week loses
    ``FREQUENCY_STEP`` posts per week (never below ``MIN_FREQUENCY``, nor below a frequency
    the brief itself sets lower), and the calendar is rebuilt; then the next network up. When
    every network is at its floor, or the brief sets ``planning.keep_frequency``, the plan is
    kept and ``hours_to_find`` says how many hours each role lacks. Without a team, nothing is
    cut (the capacity is unknown, not 0).

    Args:
        brief: the client brief (team, frequencies, horizon...).
        slots, format_mix, days, holidays_rule, lang: as :func:`build_calendar`.
        priority: the networks, first to keep first (e.g. the network matrix's order);
            networks not named come after, in the brief's order. Default: the brief's order.

    Raises:
        ValueError: a network of ``priority`` that is not the brief's, or as :func:`build_calendar`.
    """
    order = list(priority or [])
    if unknown := [c for c in order if c not in brief.channels]:
        raise ValueError(f"priority: network(s) {unknown} are not the brief's ({brief.channels})")
    order = list(dict.fromkeys([*order, *brief.channels]))
    table = frequency_table(brief)
    before = dict(zip(table["channel"], table["posts_per_week"].astype(float), strict=True))
    freq = dict(before)

    def build(f: Mapping[str, float]) -> pd.DataFrame:
        return build_calendar(brief, slots, format_mix, holidays_rule, lang, days=days, frequency=f)

    calendar = build(freq)
    first = calendar
    serving = set(calendar.loc[calendar["goal_id"] != "", "channel"])
    order = [c for c in order if c in serving] + [c for c in order if c not in serving]
    load = workload(calendar, brief.team)
    kept = brief.planning.keep_frequency
    while brief.team and not kept and _over(load):
        cuttable = [c for c in reversed(order) if freq[c] > MIN_FREQUENCY + 1e-9]
        if not cuttable:
            break
        ch = cuttable[0]
        freq[ch] = max(MIN_FREQUENCY, freq[ch] - FREQUENCY_STEP)
        calendar = build(freq)
        load = workload(calendar, brief.team)
    rows = []
    for ch in order:
        if freq[ch] < before[ch]:
            old, new = first[first["channel"] == ch], calendar[calendar["channel"] == ch]
            rows.append(
                {
                    "channel": ch,
                    "per_week_before": before[ch],
                    "per_week_after": freq[ch],
                    "posts_before": len(old),
                    "posts_after": len(new),
                    "hours_saved": float(old["effort_hours"].sum() - new["effort_hours"].sum()),
                }
            )
    cuts = pd.DataFrame(rows, columns=list(CUT_COLUMNS)).astype(
        {"posts_before": "int64", "posts_after": "int64"}
    )
    return Plan(calendar, freq, cuts, load, _over(load), kept, order)


# --------------------------------------------------------------------------- exports


def post_owner(team: Sequence[TeamRole] | None = None) -> str:
    """The role that does a post (its owner in the calendar): of the roles the team has, the one
    with the largest share of a post's effort (``ROLE_SPLIT``: the creator); without a team, or
    with none of them, the largest share of all.

    Args:
        team: ``brief.team``.

    Returns:
        A role id of ``ROLE_SPLIT`` (``creator``, ``content_lead``, ``editor``).
    """
    ranked = sorted(ROLE_SPLIT, key=lambda r: -ROLE_SPLIT[r])
    present = {member.role for member in team or ()}
    return next((role for role in ranked if role in present), ranked[0])


def calendar_to_csv(calendar: pd.DataFrame, path: str | Path, human: pd.DataFrame | None = None) -> Path:
    """Write the calendar as UTF-8 CSV; times as ISO 8601 with their UTC offset; a text that a
    spreadsheet would run as a formula (a pillar ``=1+1``) is guarded
    (:func:`helpers.client.loading.write_csv`).

    The canonical columns (``CALENDAR_COLUMNS``) come first, under their own names, whatever the
    report's language: :func:`read_calendar_csv` reads them back from a file written in any
    language. The columns a person reads (``human``: the network, format, goal... in words, under
    headers in the report's language) follow them.

    Args:
        calendar: from :func:`build_calendar`.
        path: the CSV file.
        human: one row per post (same index as ``calendar``), its headers already translated.

    Raises:
        ValueError: ``human`` does not have one row per post, or a header of it reads as a
            canonical column's name (case aside): the file would no longer read back.
    """
    out = calendar.copy()
    for col in ("start", "end"):
        out[col] = [t.isoformat() for t in calendar[col]]
    for col in ("date", "moved_from"):
        out[col] = ["" if d is None or pd.isna(d) else d.isoformat() for d in calendar[col]]
    if human is not None:
        if len(human) != len(calendar):
            raise ValueError(
                f"{Path(path).name}: {len(human)} rows of words for {len(calendar)} planned posts "
                "(one row per post expected)"
            )
        canonical = {str(c).casefold() for c in out.columns}
        clashes = [str(c) for c in human.columns if str(c).casefold() in canonical]
        if clashes:
            raise ValueError(
                f"{Path(path).name}: column(s) {clashes} read as the calendar's own columns "
                f"({', '.join(CALENDAR_COLUMNS)}); give the words' columns other headers"
            )
        out = pd.concat([out.reset_index(drop=True), human.reset_index(drop=True)], axis=1)
    return write_csv(out, path)


def read_calendar_csv(path: str | Path, tz: str | None = None) -> pd.DataFrame:
    """Read a calendar written by :func:`calendar_to_csv`, with its dtypes restored.

    Only the canonical columns are read (by name, so a file written in French or in English, or
    before the words' columns existed, reads the same); the columns for people are left out.

    Args:
        path: the CSV file.
        tz: zone of ``start``/``end``; defaults to the file's ``timezone`` column, else UTC.

    Raises:
        ValueError: a column the calendar needs is missing (the message names the file and them).
    """
    raw = unguard_cells(pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8"))
    missing = [c for c in _REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(
            f"{path}: column(s) {', '.join(missing)} missing; a calendar written by the workbook "
            f"(calendar.csv) starts with {', '.join(CALENDAR_COLUMNS)}"
        )
    raw = raw[[c for c in CALENDAR_COLUMNS if c in raw.columns]]
    zone = tz or (str(raw["timezone"].iloc[0]) if "timezone" in raw and len(raw) else "UTC")
    frame = raw.copy()
    frame["post_no"] = raw["post_no"].astype("int64")
    for col in ("date", "moved_from"):
        frame[col] = pd.Series(
            [dt.date.fromisoformat(x) if x else None for x in raw[col]], index=raw.index, dtype=object
        )
    for col in ("start", "end"):
        parsed = pd.to_datetime(raw[col], utc=True, format="ISO8601")
        frame[col] = parsed.dt.tz_convert(zone).dt.as_unit(_UNIT)
    frame["effort_hours"] = raw["effort_hours"].astype("float64")
    for col in _TEXT_COLUMNS:
        if col in frame:
            frame[col] = frame[col].astype("str")
    return frame


ICS_LABELS: dict[str, str] = {
    "calendar": "content calendar", "network": "Network", "format": "Format",
    "theme": "Theme", "goal": "Goal", "objective": "Objective", "holiday": "Holiday",
    "moment": "Brand date", "no_goal": "no goal",
}  # fmt: skip


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "client"


def _local(ts: pd.Timestamp, zone: str) -> dt.datetime:
    """The wall-clock time in ``zone``, with a zoneinfo tzinfo (icalendar writes its TZID)."""
    return ts.tz_convert(zone).to_pydatetime().replace(tzinfo=ZoneInfo(zone))


def _description(
    post: Mapping, labels: Mapping[str, str], goals: Mapping[str, str], values: Mapping[str, Mapping]
) -> str:
    def word(kind: str, value: str) -> str:
        return values.get(kind, {}).get(value, value)

    goal = post["goal_id"]
    lines = [
        f"{labels['network']}: {word('channel', post['channel'])}",
        f"{labels['format']}: {word('format', post['format'])}",
        f"{labels['theme']}: {post['pillar']}",
        f"{labels['goal']}: {goals.get(goal) or goal if goal else labels['no_goal']}",
    ]
    if post["objective"]:
        lines.append(f"{labels['objective']}: {word('objective', post['objective'])}")
    if post["holiday"]:
        lines.append(f"{labels['holiday']}: {post['holiday']}")
    if post.get("moment"):
        lines.append(f"{labels['moment']}: {post['moment']}")
    return "\n".join(lines)


def calendar_to_ics(
    calendar: pd.DataFrame,
    path: str | Path,
    brief: Brief,
    *,
    stamp: dt.datetime | None = None,
    labels: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> Path:
    """Write the calendar as an RFC 5545 file, one VEVENT per post, in the client's zone.

    A post's goal reads as the goal's label in the brief (its id only when the brief gives none);
    networks, formats and objectives as ``values`` name them (the report's language).

    Texts from the brief (the client's name, pillars, formats) that a spreadsheet would run as a
    formula, once a calendar tool exports the events, are guarded as in the CSV (:func:`guard_cell`).

    Args:
        calendar: from :func:`build_calendar` or :func:`read_calendar_csv`.
        path: the ``.ics`` file to write.
        brief: gives the client name (calendar name, UIDs) and time zone (VTIMEZONE, TZID).
        stamp: DTSTAMP of every event (converted to UTC); defaults to now.
        labels: words of the descriptions (keys of ``ICS_LABELS``), e.g. in French.
        values: the words for the ids, by kind (``channel``, ``format``, ``objective``):
            ``{"format": {"video": "vidéo"}}``; an id without one reads as itself.
    """
    from icalendar import Calendar, Event

    words = {**ICS_LABELS, **(labels or {})}
    goals = {g.id: g.label for g in brief.goals}
    values = {"channel": CHANNEL_LABELS, **(values or {})}
    zone, slug = brief.client.timezone, _slug(brief.client.name)
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    cal = Calendar()
    cal.add("prodid", "-//social-workbook//content calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", guard_cell(f"{brief.client.name} · {words['calendar']}"))
    cal.add("x-wr-timezone", zone)
    for post in calendar.to_dict("records"):
        network = values["channel"].get(post["channel"], post["channel"])
        fmt = values.get("format", {}).get(post["format"], post["format"])
        event = Event()
        event.add("uid", f"{slug}-{post['post_no']}-{post['date'].isoformat()}@social-workbook")
        event.add("dtstamp", stamp)
        event.add("dtstart", _local(post["start"], zone))
        event.add("dtend", _local(post["end"], zone))
        summary = " · ".join(x for x in (network, fmt, post["pillar"]) if x)
        event.add("summary", guard_cell(summary))
        event.add("description", guard_cell(_description(post, words, goals, values)))
        event.add("categories", [guard_cell(network), guard_cell(fmt)])
        cal.add_component(event)
    years = [d.year for d in calendar["date"]] or [brief.horizon.start.year]
    cal.add_missing_timezones(dt.date(min(years), 1, 1), dt.date(max(years) + 1, 1, 1))
    path = Path(path)
    path.write_bytes(cal.to_ical())
    return path


# --------------------------------------------------------------------------- means


def _horizon_days(calendar: pd.DataFrame) -> int:
    start, end = calendar.attrs.get("horizon_start"), calendar.attrs.get("horizon_end")
    if start is None or end is None:
        if not len(calendar):
            return 7
        start, end = min(calendar["date"]), max(calendar["date"])
    return (end - start).days + 1


def workload(
    calendar: pd.DataFrame, team: Sequence[TeamRole] | None = None, *, weeks: float | None = None
) -> pd.DataFrame:
    """Hours of work per role over the horizon, and the team's load when given.

    Args:
        calendar: the planned posts (``effort_hours`` per post).
        team: ``brief.team``; adds ``capacity_per_week`` (people × hours_per_week),
            ``capacity`` (× weeks) and ``utilisation`` (hours / capacity, NaN without
            capacity).
        weeks: length of the horizon; defaults to the calendar's horizon (``attrs``),
            else to the span of its dates, in days / 7.

    Returns:
        One row per role of ``ROLE_SPLIT``: ``role``, ``hours``, ``hours_per_week`` (and the
        capacity columns). ``hours`` sums to the calendar's total effort.
    """
    weeks = weeks or _horizon_days(calendar) / 7
    total = float(calendar["effort_hours"].sum())
    per_week: dict[str, float] = {}
    for member in team or ():
        per_week[member.role] = per_week.get(member.role, 0.0) + member.people * member.hours_per_week
    rows = []
    for role, share in ROLE_SPLIT.items():
        row = {"role": role, "hours": total * share, "hours_per_week": total * share / weeks}
        if team:
            capacity = per_week.get(role, 0.0) * weeks
            row["capacity_per_week"] = per_week.get(role, 0.0)
            row["capacity"] = capacity
            row["utilisation"] = row["hours"] / capacity if capacity else math.nan
        rows.append(row)
    return pd.DataFrame(rows)


def weekly_workload(calendar: pd.DataFrame) -> pd.DataFrame:
    """Hours per role for each week (index: the week's Monday), plus a ``total`` column."""
    monday = pd.Series(
        [d - dt.timedelta(days=d.weekday()) for d in calendar["date"]],
        index=calendar.index,
        dtype=object,
    )
    hours = calendar.groupby(monday)["effort_hours"].sum()
    table = pd.DataFrame({role: hours * share for role, share in ROLE_SPLIT.items()})
    table.index.name = "week"
    table["total"] = hours
    return table


def horizon_months(start: dt.date, end: dt.date) -> float:
    """Months between two dates (both included), each month pro rata of its days."""
    months, day = 0.0, start
    while day <= end:
        length = _cal.monthrange(day.year, day.month)[1]
        stop = min(dt.date(day.year, day.month, length), end)
        months += ((stop - day).days + 1) / length
        day = stop + dt.timedelta(days=1)
    return months


def budget(calendar: pd.DataFrame, brief: Brief) -> pd.DataFrame:
    """Production and advertising budget per network over the horizon.

    Returns:
        Columns ``channel``, ``posts``, ``hours``, ``production_cost`` (hours ×
        ``brief.budget.hourly_cost``), ``ads`` (``monthly_ads`` × months of the horizon, pro
        rata by days) and ``total``; a last row ``channel == "total"`` sums the others.
        ``attrs["currency"]`` is the client's currency.
    """
    months = horizon_months(brief.horizon.start, brief.horizon.end)
    ads = brief.budget.monthly_ads
    channels = list(dict.fromkeys([*brief.channels, *calendar["channel"], *ads]))
    grouped = calendar.groupby("channel")["effort_hours"]
    counts, hours = grouped.size(), grouped.sum()
    rows = []
    for ch in channels:
        h = float(hours.get(ch, 0.0))
        row = {
            "channel": ch,
            "posts": int(counts.get(ch, 0)),
            "hours": h,
            "production_cost": h * brief.budget.hourly_cost,
            "ads": ads.get(ch, 0.0) * months,
        }
        rows.append({**row, "total": row["production_cost"] + row["ads"]})
    table = pd.DataFrame(rows, columns=["channel", "posts", "hours", "production_cost", "ads", "total"])
    sums = table.drop(columns="channel").sum()
    table.loc[len(table)] = {"channel": "total", **sums.to_dict()}
    table = table.astype({"posts": "int64"})
    table.attrs["currency"] = brief.client.currency
    return table
