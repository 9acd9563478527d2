"""Section "plan against actual" of ``07_tracking``: the last report's content calendar against the
posts published since (:mod:`helpers.method.adherence`).

The previous run's ``calendar.csv`` is matched with this run's posts, up to the end of the data
(:func:`data_end`). The section shows, when at least one planned post was due or published:

* per network, the planned posts due, published on time, late or early, missing, the posts
  published outside the plan, and the adherence (published over due), with a total row;
* the same per editorial pillar and per goal (the goal's label from the previous run's
  ``goals.json``, never its id);
* how the published planned posts did against the network's average and against the expected
  rate of the slots they were planned in (the previous run's ``slots.csv``);
* the posts to check: planned posts not found, posts outside the plan, and pairings the data
  cannot settle, with the alternative named.

Without a previous run (or a calendar in it) the section is empty; when every planned post is
still to come, it is one sentence saying when the plan starts. The tolerances are the module's
(:class:`helpers.method.adherence.Tolerance`), stated in the section's note.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from helpers.method import adherence as adh
from helpers.method import evidence
from helpers.method.planning import read_calendar_csv
from helpers.report.display import Block, Section, heading, say, table
from helpers.report.i18n import fmt_date, fmt_hours, fmt_list, fmt_percent, fmt_time, label, unknown
from helpers.report.pages.common import kpi_fmt, kpi_note, lab, method_link, num, pct
from helpers.run.context import Run

#: Characters of a post's text shown to recognise it in the list of posts to check.
TEXT_CHARS = 60
#: The brief's KPI conventions behind the slots' expected rates: when the previous run used
#: others, its slots are not compared with this run's rates.
RATE_CONVENTIONS = ("engagement_rate", "aggregation")
#: Columns of the per-network table the section shows (and ``adherence_networks.csv`` holds,
#: with every column of :func:`helpers.method.adherence.adherence`).
SHOWN_COUNTS = ("due", "on_time", "late", "early", "missing")
#: The tolerances the plan is matched with: the module's defaults (the brief has no place for
#: them), stated in the section's note.
TOLERANCE = adh.Tolerance()
#: The statuses listed among the posts to check, in that order.
TO_CHECK = ("missing", "unplanned", "ambiguous")


def data_end(run: Run) -> pd.Timestamp:
    """The end of the data: the last second of the run's last day in the client's time zone."""
    midnight = pd.Timestamp(run.end + dt.timedelta(days=1)).tz_localize(run.tz)
    return midnight - pd.Timedelta(microseconds=1)


def _empty() -> Section:
    return Section(Block(""), pd.DataFrame(columns=list(adh.MATCH_COLUMNS)))


def _calendar(run: Run) -> pd.DataFrame | None:
    """The previous run's calendar, or None without one.

    Raises:
        ValueError: the file cannot be read as a calendar (the message names it).
    """
    path = run.previous_path("calendar")
    if path is None:
        return None
    try:
        return read_calendar_csv(path)
    except (KeyError, ValueError, TypeError) as err:
        raise ValueError(
            f"{path}: cannot be read as the last report's content calendar ({type(err).__name__}: {err}); "
            "expected the columns the planning step writes (post_no, start, channel, format...)"
        ) from None


def network_table(matches: pd.DataFrame) -> pd.DataFrame:
    """Per network, then a ``total`` row: :func:`helpers.method.adherence.adherence`'s counts."""
    per_network = adh.adherence(matches, "channel")
    total = adh.adherence(matches, None).assign(channel="total")
    return pd.concat([per_network, total[per_network.columns]], ignore_index=True)


def plan_against_actual(run: Run) -> Section:
    """The last report's plan against what was published (see the module's docstring).

    Returns:
        A section that is empty without a previous calendar; ``.table``: the match table
        (:func:`helpers.method.adherence.match`, one row per planned post and per post outside
        the plan), which ``adherence.csv`` holds; ``.data``: ``networks`` (per network and
        total, ``adherence_networks.csv``), ``pillars``, ``goals``, ``performance`` and
        ``summary`` (the executive summary's line, or None).
    """
    planned = _calendar(run)
    if planned is None or planned.empty:
        return _empty()
    posts = run.table("posts")
    matches = adh.match(planned, posts, TOLERANCE, as_of=data_end(run))
    networks = network_table(matches)
    title = heading(run.t("adherence.title"))
    if not matches["status"].isin(adh.DUE).any():
        first = matches["planned_at"].min().tz_convert(run.tz)
        sentence = run.t("adherence.starts", date=fmt_date(first, run.lang), end=fmt_date(run.end, run.lang))
        return Section(title + say(sentence), matches, networks=networks, summary=None)
    total = networks.iloc[-1]
    published = int(total["on_time"] + total["late"] + total["early"])
    block = title + _networks_block(run, networks, total, published)
    pillars = adh.adherence(matches, "pillar")
    goals = _with_goal_labels(run, adh.adherence(matches, "goal_id"))
    if (pillars["pillar"] != "").any():
        block += _group_block(
            run, pillars, "pillar", run.t("adherence.by_pillar"), run.t("adherence.no_pillar")
        )
    if (goals["goal_id"] != "").any():
        block += _group_block(run, goals, "goal", run.t("adherence.by_goal"), run.t("adherence.no_goal"))
    performance, perf_block = _performance(run, matches, posts)
    block += perf_block + _check_block(run, matches, posts)
    summary = run.t(
        "adherence.summary",
        published=published,
        due=int(total["due"]),
        late=int(total["late"]),
        adherence=fmt_percent(total["adherence"], run.lang, 0),
    )
    return Section(
        block,
        matches,
        networks=networks,
        pillars=pillars,
        goals=goals,
        performance=performance,
        summary=summary,
    )


# --------------------------------------------------------------------------- per network


def _networks_block(run: Run, networks: pd.DataFrame, total: pd.Series, published: int) -> Block:
    shown = networks[(networks["due"] > 0) | (networks["unplanned"].fillna(0) > 0)]
    frame = pd.DataFrame(
        {
            "network": [
                run.t("adherence.col.total") if c == "total" else label("channel", c, run.lang)
                for c in shown["channel"]
            ],
            **{c: shown[c].astype(int) for c in SHOWN_COUNTS},
            "unplanned": shown["unplanned"],
            "adherence": shown["adherence"],
        }
    )
    tol = TOLERANCE
    note = run.t(
        "adherence.rule",
        on_time=_duration(run, tol.on_time),
        late=_duration(run, tol.late),
        early=_duration(run, tol.early),
    )
    sentence = run.t(
        "adherence.say",
        due=int(total["due"]),
        end=fmt_date(run.end, run.lang),
        published=published,
        on_time=int(total["on_time"]),
        late=int(total["late"]),
        early=int(total["early"]),
        missing=int(total["missing"]),
        adherence=fmt_percent(total["adherence"], run.lang, 0),
        unplanned=int(total["unplanned"]),
    )
    return table(
        frame,
        {"unplanned": num(run), "adherence": pct(run, 0)},
        _headers(run, frame),
        note=note,
        lang=run.lang,
    ) + say(sentence)


def _duration(run: Run, hours: float) -> str:
    """``24 h``, ``3 days``: whole days from two days on, hours below."""
    if hours >= 48 and hours % 24 == 0:
        return run.t("adherence.days", n=int(hours // 24))
    return fmt_hours(hours, run.lang, 0 if float(hours).is_integer() else 1)


def _headers(run: Run, frame: pd.DataFrame) -> dict[str, str]:
    return {c: run.t(f"adherence.col.{c}") for c in frame.columns}


# --------------------------------------------------------------------------- per pillar, per goal


def _with_goal_labels(run: Run, goals: pd.DataFrame) -> pd.DataFrame:
    """The per-goal table with each goal's label (the previous run's ``goals.json``): a post tied
    to no goal reads "no goal", a goal the file no longer lists "a goal no longer listed"."""
    records = run.previous_load("goals") or []
    labels = {str(g.get("id")): g.get("label") for g in records if isinstance(g, dict)}
    names = []
    for goal_id in goals["goal_id"]:
        if goal_id == "":
            names.append("")
        else:
            names.append(labels.get(goal_id) or run.t("adherence.old_goal"))
    return goals.assign(goal=names)


def _group_block(run: Run, groups: pd.DataFrame, key: str, title: str, none: str) -> Block:
    """A table per pillar or goal (the groups with a planned post due; the posts tied to none
    last) and one sentence."""
    due = groups[groups["due"] > 0]
    due = pd.concat([due[due[key] != ""], due[due[key] == ""]])  # the posts tied to none last
    if due.empty:
        return Block("")
    names = [name or none for name in due[key]]
    frame = pd.DataFrame(
        {
            key: names,
            **{c: due[c].astype(int).to_numpy() for c in SHOWN_COUNTS},
            "adherence": due["adherence"].to_numpy(),
        }
    )
    return (
        heading(title, 3)
        + table(frame, {"adherence": pct(run, 0)}, _headers(run, frame), lang=run.lang)
        + say(_spread(run, frame, key))
    )


def _spread(run: Run, frame: pd.DataFrame, key: str) -> str:
    """Where adherence is lowest and highest among the groups (the first in the table on a tie)."""
    known = frame.dropna(subset=["adherence"])
    if known.empty:
        return ""
    low, high = known.loc[known["adherence"].idxmin()], known.loc[known["adherence"].idxmax()]
    if len(known) == 1 or low["adherence"] == high["adherence"]:
        if len(known) == 1:
            return run.t(
                "adherence.single", adherence=fmt_percent(low["adherence"], run.lang, 0), name=low[key]
            )
        return run.t("adherence.even", adherence=fmt_percent(low["adherence"], run.lang, 0))
    return run.t(
        "adherence.spread",
        low=fmt_percent(low["adherence"], run.lang, 0),
        low_name=low[key],
        high=fmt_percent(high["adherence"], run.lang, 0),
        high_name=high[key],
    )


# --------------------------------------------------------------------------- performance


def _slots(run: Run) -> pd.DataFrame | None:
    """The previous run's slots, when its rates were computed as this run's are."""
    comparison = run.comparison() if run.previous is not None else None
    changed = {c["key"] for c in (comparison or {}).get("changed_conventions", [])}
    if changed & set(RATE_CONVENTIONS):
        return None
    return run.previous_load("slots")


def _performance(run: Run, matches: pd.DataFrame, posts: pd.DataFrame) -> tuple[pd.DataFrame, Block]:
    """:func:`helpers.method.adherence.planned_performance` for the networks where a planned post
    was published, as a table and one or two sentences; nothing when none was."""
    rule = evidence.Rule.of(run.brief.analysis)
    slots = _slots(run)
    followers = run.data.tables.get("followers")
    perf = adh.planned_performance(matches, posts, run.brief.kpi, slots, followers, rule)
    shown = perf[perf["posts"] > 0]
    if shown.empty:
        return perf, Block("")
    rate = kpi_fmt(run, "engagement_rate")
    frame = pd.DataFrame(
        {
            "network": [label("channel", c, run.lang) for c in shown["channel"]],
            "posts": shown["posts"].astype(int).to_numpy(),
            "rate": shown["rate"].to_numpy(),
            "interval": [_interval(run, lo, hi) for lo, hi in zip(shown["low"], shown["high"], strict=True)],
            "network_rate": shown["network_rate"].to_numpy(),
            "vs_network": shown["vs_network"].to_numpy(),
        }
    )
    sentences = [run.t("adherence.vs_network", verdicts=_verdicts(run, shown, "vs_network"))]
    if slots is not None:
        frame["slot_expected"] = shown["slot_expected"].to_numpy()
        frame["vs_slot"] = shown["vs_slot"].to_numpy()
        if shown["slot_posts"].fillna(0).gt(0).any():
            sentences.append(run.t("adherence.vs_slot", verdicts=_verdicts(run, shown, "vs_slot")))
    note = run.t(
        "adherence.performance_note",
        definition=kpi_note(run, "engagement_rate"),
        level=fmt_percent(rule.confidence, run.lang, 0),
        n=rule.min_posts,
    ) + " " + method_link(run, "adherence")
    formats = {
        "rate": rate,
        "network_rate": rate,
        "slot_expected": rate,
        "vs_network": lab(run, "evidence_verdict"),
        "vs_slot": lab(run, "evidence_verdict"),
    }
    block = (
        heading(run.t("adherence.performance"), 3)
        + table(frame, formats, _headers(run, frame), note=note, lang=run.lang)
        + say(*sentences)
    )
    return perf, block


def _interval(run: Run, low: float, high: float) -> str:
    if pd.isna(low) or pd.isna(high):
        return unknown(run.lang)
    rate = kpi_fmt(run, "engagement_rate")
    return f"{rate(low)} – {rate(high)}"


def _verdicts(run: Run, perf: pd.DataFrame, column: str) -> str:
    """``above it on Instagram; too few to tell on LinkedIn and X``: the networks per verdict."""
    clauses = []
    for verdict in evidence.VERDICTS:
        networks = [label("channel", c, run.lang) for c in perf.loc[perf[column] == verdict, "channel"]]
        if networks:
            clauses.append(
                run.t(
                    "adherence.clause",
                    verdict=run.t(f"adherence.verdict.{verdict}"),
                    networks=fmt_list(networks, run.lang),
                )
            )
    return run.t("adherence.clause_sep").join(clauses)


# --------------------------------------------------------------------------- posts to check


def _when(run: Run, stamp: Any) -> str:
    """A time in the client's zone: ``Jan 4, 2027, 12:00``; unknown when missing."""
    if pd.isna(stamp):
        return unknown(run.lang)
    local = pd.Timestamp(stamp).tz_convert(run.tz)
    return run.t("adherence.at", date=fmt_date(local, run.lang), time=fmt_time(local, run.lang))


def _excerpt(text: Any) -> str:
    if text is None or pd.isna(text):
        return ""
    words = " ".join(str(text).split())
    return words if len(words) <= TEXT_CHARS else words[: TEXT_CHARS - 1].rstrip() + "…"


def to_check(matches: pd.DataFrame) -> pd.DataFrame:
    """The rows of the match table to check by hand, ``what`` in :data:`TO_CHECK`: missing
    planned posts (by planned time), posts outside the plan (by time), ambiguous pairings."""
    parts = [
        matches[matches["status"] == "missing"].assign(what="missing"),
        matches[matches["status"] == "unplanned"].assign(what="unplanned"),
        matches[matches["ambiguous"]].assign(what="ambiguous"),
    ]
    return pd.concat(parts, ignore_index=True)


def _note(run: Run, row: Any, matches: pd.DataFrame, published: pd.DataFrame) -> str:
    """For an ambiguous pairing, the alternative an equally good reading gives."""
    if row.what != "ambiguous":
        return ""
    parts = []
    if not pd.isna(row.alt_post_no):
        other = matches[matches["post_no"] == row.alt_post_no]
        when = _when(run, other["planned_at"].iloc[0]) if len(other) else unknown(run.lang)
        parts.append(run.t("adherence.alt_planned", no=int(row.alt_post_no), when=when))
    if not pd.isna(row.alt_post_id):
        key = (str(row.channel), str(row.alt_post_id))
        when = _when(run, published["published_at"].get(key)) if key in published.index else unknown(run.lang)
        parts.append(run.t("adherence.alt_post", when=when))
    return run.t("adherence.clause_sep").join(parts)


def _check_block(run: Run, matches: pd.DataFrame, posts: pd.DataFrame) -> Block:
    rows = to_check(matches)
    title = heading(run.t("adherence.check"), 3)
    if rows.empty:
        return title + say(run.t("adherence.check_none"))
    published = posts.assign(channel=posts["channel"].astype(str), post_id=posts["post_id"].astype(str))
    published = published.set_index(["channel", "post_id"])
    texts = published["text"] if "text" in published else pd.Series(dtype=object)
    frame = pd.DataFrame(
        {
            "what": [run.t(f"adherence.kind.{w}") for w in rows["what"]],
            "network": [label("channel", c, run.lang) for c in rows["channel"]],
            "planned_post": [
                "" if pd.isna(n) else run.t("adherence.planned_no", no=int(n)) for n in rows["post_no"]
            ],
            "planned_at": [_when(run, v) if not pd.isna(v) else "" for v in rows["planned_at"]],
            "published_at": [_when(run, v) if not pd.isna(v) else "" for v in rows["published_at"]],
            "format": [
                label("format", str(p if isinstance(p, str) and p else q), run.lang)
                for p, q in zip(rows["published_format"], rows["planned_format"], strict=True)
            ],
            "text": [
                _excerpt(texts.get((str(c), str(p)))) if isinstance(p, str) and p else ""
                for c, p in zip(rows["channel"], rows["post_id"], strict=True)
            ],
            "note": [_note(run, r, matches, published) for r in rows.itertuples()],
        }
    )
    counts = rows["what"].value_counts()
    sentence = run.t("adherence.check_say", **{w: int(counts.get(w, 0)) for w in TO_CHECK})
    return title + table(frame, None, _headers(run, frame), lang=run.lang) + say(sentence)


# --------------------------------------------------------------------------- save


def save(run: Run, plan: Section) -> None:
    """``adherence.csv`` (the match table) and ``adherence_networks.csv`` (per network and total;
    the headers alone without a previous calendar), and the executive summary's line, added
    after the goals' (call it after the tracking page's ``save``)."""
    run.save(
        "adherence", plan.table if len(plan.table.columns) else pd.DataFrame(columns=list(adh.MATCH_COLUMNS))
    )
    networks = plan.data.get("networks")
    if networks is None:
        networks = pd.DataFrame(columns=["channel", *adh.ADHERENCE_COLUMNS])
    run.save("adherence_networks", networks)
    if plan.data.get("summary"):
        run.add_summary("goals", [plan.data["summary"]], append=True)
    run.save_notes()
