"""Sections of ``06_planning``: the content calendar, its month views, workload and budget."""

from __future__ import annotations

import pandas as pd

from helpers.method import planning as plan
from helpers.method.moments import notable_dates
from helpers.report import calendar_chart
from helpers.report.display import Section, figure, heading, say, table
from helpers.report.i18n import LANGS, fmt_date, fmt_money, fmt_number, fmt_percent, label, t, weekday_names
from helpers.report.pages.common import headers, hours, lab, num, pct
from helpers.run.context import Run


def _month_names(lang: str) -> tuple[str, ...]:
    return tuple(t("planning.months", lang).split(","))


def calendar(run: Run) -> Section:
    """The content calendar over the plan's horizon (:func:`helpers.method.planning.build_calendar`):
    each network's posts per week (the brief's ``planning.frequency``, else the method's), placed
    on the best slots and in the format mix that ``05`` chose, off the public holidays when the
    brief says so; shown as the frequency per network and the first posts.

    Returns:
        ``.table``: the calendar, one row per post (number, date, start and end in the client's
        time zone, network, public holiday, the date it moved from, format, pillar, goal,
        objective, effort hours), which ``calendar.csv`` and ``calendar.ics`` hold;
        ``.data["frequency"]``: per network, posts per week, their source and posts planned.
    """
    cal = plan.build_calendar(run.brief, run.load("slots"), run.load("format_mix"), lang=run.lang)
    freq = plan.frequency_table(run.brief)
    planned = cal.groupby("channel").size()
    freq = freq.assign(posts_planned=freq["channel"].map(planned).fillna(0).astype(int))
    shown = freq.assign(
        source=[run.t(f"planning.source_{'brief' if s == 'brief' else 'method'}") for s in freq["source"]],
    ).rename(columns={"posts_per_week": "posts_per_week_planned"})
    start, end = run.brief.horizon.start, run.brief.horizon.end
    moved = int(cal["moved_from"].notna().sum())
    upcoming = cal.head(8).assign(start=[s.strftime("%H:%M") for s in cal.head(8)["start"]])
    cols = ["date", "start", "channel", "format", "pillar", "goal_id"]
    block = (
        heading(run.t("planning.calendar"))
        + table(
            shown,
            {
                "channel": lab(run, "channel"),
                "posts_per_week_planned": num(run, 1),
                "posts_planned": num(run),
            },
            headers(run, shown.columns),
            run.t("planning.frequency_note"),
            lang=run.lang,
        )
        + say(
            run.t(
                "planning.calendar_say",
                posts=len(cal),
                start=fmt_date(start, run.lang),
                end=fmt_date(end, run.lang),
                moved=moved,
                rule=run.t(f"strategy.rule_{run.brief.planning.holidays}"),
            )
        )
        + heading(run.t("planning.first_posts"), 3)
        + table(
            upcoming[cols],
            {
                "date": lambda d: fmt_date(d, run.lang),
                "channel": lab(run, "channel"),
                "format": lab(run, "format"),
            },
            headers(run, cols),
            run.t("planning.files_note", tz=run.tz),
            lang=run.lang,
        )
    )
    return Section(block, cal, frequency=freq)


def month_views(run: Run, calendar: Section) -> Section:
    """The calendar of :func:`calendar` month by month, each post labelled with its network, time
    and format, public holidays shaded red and notable dates blue.

    Returns:
        ``.table``: one row per month (month, posts planned, posts moved off a holiday);
        ``.figure``: the first month; ``.data["figures"]``: each month's chart, by month
        (``YYYY-MM``).
    """
    cal = calendar.table
    labels = {
        "weekdays": tuple(weekday_names(run.lang)),
        "months": _month_names(run.lang),
        "title": "{month} {year}",
        "more": "+{n}",
        "formats": {f: label("format", f, run.lang) for f in cal["format"].dropna().unique()},
    }
    holidays = plan.public_holidays(run.brief, run.lang)
    moments = {m.date: m.name for m in notable_dates(run.brief, lang=run.lang)}
    block = heading(run.t("planning.months_title"))
    figures, rows = {}, []
    months = pd.to_datetime(cal["date"]).dt.to_period("M")
    for month in pd.period_range(run.brief.horizon.start, run.brief.horizon.end, freq="M"):
        fig = calendar_chart.month_view(cal, month, holidays=holidays, moments=moments, labels=labels)
        name = f"{_month_names(run.lang)[month.month - 1]} {month.year}"
        block += figure(fig, run.t("planning.month_alt", month=name), run.t("planning.legend"))
        figures[str(month)] = fig
        part = cal[months == month]
        rows.append({"month": str(month), "posts": len(part), "moved": int(part["moved_from"].notna().sum())})
    frame = pd.DataFrame(rows, columns=["month", "posts", "moved"])
    return Section(block, frame, next(iter(figures.values()), None), figures=figures)


def workload(run: Run, calendar: Section) -> Section:
    """The hours the calendar of :func:`calendar` asks of each role (the brief's ``effort_hours``
    per format, else the method's, split between content lead, creator and editor), against the
    team's capacity (:func:`helpers.method.planning.workload`).

    Returns:
        ``.table``: one row per role (role id, hours, hours per week, capacity, utilisation),
        which ``workload.csv`` holds.
    """
    raw = plan.workload(calendar.table, run.brief.team)
    load = raw.assign(role=[run.t(f"planning.role_{r}") for r in raw["role"]])
    cols = [c for c in ("role", "hours", "hours_per_week", "capacity", "utilisation") if c in load.columns]
    over = load[load.get("utilisation", pd.Series(dtype=float)) > 1]
    sentence = (
        run.t(
            "planning.overload",
            roles=", ".join(over["role"]),
            worst=fmt_percent(over["utilisation"].max(), run.lang, 0),
        )
        if len(over)
        else run.t("planning.capacity_ok")
    )
    block = (
        heading(run.t("planning.workload"))
        + table(
            load[cols],
            {
                "hours": hours(run),
                "hours_per_week": hours(run),
                "capacity": hours(run),
                "utilisation": pct(run, 0),
            },
            {**headers(run, cols), "hours_per_week": run.t("planning.hours_per_week")},
            run.t("planning.workload_note"),
            lang=run.lang,
        )
        + say(sentence)
    )
    return Section(block, raw)


def budget(run: Run, calendar: Section) -> Section:
    """What the calendar of :func:`calendar` costs per network: production hours × the brief's
    ``budget.hourly_cost``, plus its monthly advertising budget pro rata over the plan
    (:func:`helpers.method.planning.budget`).

    Returns:
        ``.table``: one row per network and a ``total`` row (posts, hours, production cost, ads,
        total), which ``budget.csv`` holds.
    """
    table_ = plan.budget(calendar.table, run.brief)
    money = lambda v: fmt_money(v, run.lang, run.brief.client.currency)  # noqa: E731
    shown = table_.assign(
        channel=[
            label("channel", c, run.lang) if c != "total" else run.t("col.total") for c in table_["channel"]
        ]
    )
    total = table_.iloc[-1]
    block = (
        heading(run.t("planning.budget"))
        + table(
            shown,
            {"posts": num(run), "hours": hours(run), "production_cost": money, "ads": money, "total": money},
            {**headers(run, shown.columns), "hours": run.t("col.production_hours")},
            run.t("planning.budget_note", hourly=money(run.brief.budget.hourly_cost)),
            lang=run.lang,
        )
        + say(
            run.t(
                "planning.budget_say",
                total=money(total["total"]),
                ads=money(total["ads"]),
                production=money(total["production_cost"]),
                posts=fmt_number(total["posts"], run.lang),
            )
        )
    )
    return Section(block, table_)


def ics_labels(lang: str) -> dict[str, str]:
    assert lang in LANGS
    return {k: t(f"planning.ics_{k}", lang) for k in plan.ICS_LABELS}


def save(run: Run, calendar: Section, workload: Section, budget: Section) -> None:
    """``calendar.csv`` and ``calendar.ics`` from :func:`calendar`, ``workload.csv`` and
    ``budget.csv`` from :func:`workload` and :func:`budget`, and the summary's next step."""
    cal = calendar.table
    plan.calendar_to_csv(cal, run.path("calendar"))
    plan.calendar_to_ics(cal, run.path("calendar_ics"), run.brief, labels=ics_labels(run.lang))
    run.save("workload", workload.table)
    run.save("budget", budget.table)
    run.add_summary(
        "next_steps",
        [
            run.t(
                "planning.summary_line",
                posts=len(cal),
                start=fmt_date(run.brief.horizon.start, run.lang),
                end=fmt_date(run.brief.horizon.end, run.lang),
            )
        ],
    )
    run.save_notes()
