"""Sections of ``06_planning`` for the monthly cycle: the calendar's dates against the previous
run's calendar, and what the new plan changes from it (:mod:`helpers.method.replanning`)."""

from __future__ import annotations

import pandas as pd

from helpers.client.brief import Brief, Period
from helpers.method import planning as plan
from helpers.method import replanning as rp
from helpers.report.display import Block, Section, heading, say, table
from helpers.report.i18n import fmt_date, fmt_list, fmt_number, fmt_percent, label, weekday_names
from helpers.run.context import Run


def previous_calendar(run: Run) -> pd.DataFrame | None:
    """The previous run's calendar (``calendar.csv``), or None without a previous run or calendar."""
    path = run.previous_path("calendar")
    return plan.read_calendar_csv(path, run.tz) if path is not None else None


def planning_horizon(run: Run) -> rp.Horizon:
    """The dates this run's calendar covers and why (:func:`helpers.method.replanning.horizon`):
    the brief's horizon, or the one following the previous run's calendar."""

    def compute() -> rp.Horizon:
        comparison = run.comparison()
        relation = comparison["relation"] if comparison else None
        h = run.brief.horizon
        return rp.horizon(h.start, h.end, previous_calendar(run), relation, run.end)

    return run.cached(("replan_horizon",), compute)


def planning_brief(run: Run) -> Brief:
    """The brief with the horizon of :func:`planning_horizon`: what the calendar, its month views,
    workload, budget and actions are planned over."""
    hz = planning_horizon(run)
    if (hz.start, hz.end) == (run.brief.horizon.start, run.brief.horizon.end):
        return run.brief
    return run.brief.model_copy(update={"horizon": Period(start=hz.start, end=hz.end)})


def horizon_say(run: Run) -> Block:
    """The calendar's first sentence: the dates it covers and why (nothing without a previous
    run's calendar, when the brief's horizon needs no word)."""
    hz = planning_horizon(run)
    if hz.reason == "no_previous":
        return Block("")
    return say(
        run.t(
            f"replan.horizon_{hz.reason}",
            start=fmt_date(hz.start, run.lang),
            end=fmt_date(hz.end, run.lang),
            previous_end=fmt_date(hz.previous_end, run.lang),
        )
    )


def _what(run: Run, row: pd.Series) -> str:
    kind = row["kind"]
    if kind == "frequency":
        return run.t("replan.what_frequency")
    if kind == "format":
        return run.t("replan.what_format", format=label("format", row["item"], run.lang))
    if kind == "slot":
        day = weekday_names(run.lang, False)[int(row["weekday"])]
        return run.t("replan.what_slot", day=day, hour=int(row["hour"]))
    return run.t("replan.what_pillar", pillar=row["item"])


def _value(run: Run, kind: str, value: float) -> str:
    if kind == "frequency":
        return fmt_number(value, run.lang, 1)
    if kind == "format":
        return fmt_percent(value, run.lang, 0)
    if kind == "slot":
        return fmt_number(value, run.lang)
    return run.t("replan.pillar_in" if value else "replan.pillar_out")


def _worked(run: Run, rows: pd.DataFrame) -> list[str]:
    """``Instagram reel``, ``X Thursday 18:00``: what worked, named briefly."""
    names = []
    for _, r in rows.iterrows():
        if r["kind"] == "slot":
            day = weekday_names(run.lang, False)[int(r["weekday"])]
            what = run.t("replan.slot_short", day=day, hour=int(r["hour"]))
        else:
            what = label("format", r["item"], run.lang)
        names.append(f"{label('channel', r['channel'], run.lang)} {what}")
    return names


def replan(run: Run, calendar: Section) -> Section:
    """What the calendar of :func:`helpers.report.pages.planning.calendar` changes from the previous
    run's (:func:`helpers.method.replanning.changes`): per network, posts per week before and now;
    formats whose share moved by at least :data:`~helpers.method.replanning.SHARE_MOVE`; slots and
    pillars added or dropped; each with its reason, and whether what worked (a slot or format whose
    verdict was ``above``) stays. Nothing at all without a previous run, or when it lacks a
    calendar, a format mix or slots.

    Returns:
        ``.table``: the changes (:data:`helpers.method.replanning.CHANGE_COLUMNS`), which
        ``replan.csv`` holds; empty without a previous run.
    """
    previous = previous_calendar(run)
    previous_mix, previous_slots = run.previous_load("format_mix"), run.previous_load("slots")
    if previous is None or previous_mix is None or previous_slots is None:
        return Section(Block(""))
    cut = list(calendar.data["plan"].cuts["channel"])
    found = rp.changes(
        previous_mix,
        run.load("format_mix"),
        previous_slots,
        run.load("slots"),
        previous,
        calendar.table,
        cut=cut,
    )
    moved = found[~found["change"].isin(["same", "kept"])]
    shown = pd.DataFrame(
        {
            "channel": [label("channel", c, run.lang) for c in found["channel"]],
            "what": [_what(run, r) for _, r in found.iterrows()],
            "before": [_value(run, k, v) for k, v in zip(found["kind"], found["before"], strict=True)],
            "now": [_value(run, k, v) for k, v in zip(found["kind"], found["now"], strict=True)],
            "change": [run.t(f"replan.change_{c}") for c in found["change"]],
            "reason": [run.t(f"replan.reason_{r}") for r in found["reason"]],
        }
    )
    worked = rp.kept_what_worked(found)
    stays, lost = worked[worked["change"] == "kept"], worked[worked["change"] != "kept"]
    sentences = [
        run.t(
            "replan.say" if len(moved) else "replan.say_none",
            changes=len(moved),
            points=fmt_number(rp.SHARE_MOVE * 100, run.lang),
            step=fmt_number(rp.FREQUENCY_MOVE, run.lang, 1),
        )
    ]
    if len(stays):
        sentences.append(run.t("replan.worked_kept", items=fmt_list(_worked(run, stays), run.lang)))
    if len(lost):
        sentences.append(run.t("replan.worked_lost", items=fmt_list(_worked(run, lost), run.lang)))
    if worked.empty:
        sentences.append(run.t("replan.worked_none"))
    block = (
        heading(run.t("replan.title"))
        + say(*sentences)
        + table(
            shown,
            None,
            {c: run.t(f"replan.col_{c}") for c in shown.columns},
            run.t("replan.note"),
            lang=run.lang,
        )
    )
    return Section(block, found)


def save(run: Run, replan_: Section) -> None:
    """``replan.csv`` from :func:`replan` (the header alone without a previous run to compare with:
    every file handed to the client is there on every run)."""
    table_ = replan_.table if len(replan_.table.columns) else pd.DataFrame(columns=list(rp.CHANGE_COLUMNS))
    run.save("replan", table_)
