"""Meta Business Suite account-level time series (Insights → Overview → Export), one file per metric.

Layout from the exports themselves: ``Reach.csv``, ``Views.csv``, ``Follows.csv``,
``Interactions.csv``, ``Visits.csv``, ``Link clicks.csv``, each UTF-16 with a BOM; line 1 is the
spreadsheet hint ``sep=,``, line 2 the metric's title (``Instagram reach``, ``Facebook follows``,
in the interface's language), line 3 the header ``Date,"Primary"``, then one row a day
(``2025-12-16T00:00:00,"120"``: the day, in the account's zone).

The title names the network and the metric; each file gives one column of ``account_daily``:
reach → ``reach``, views → ``impressions``, follows → ``follows``, interactions → ``engagements``,
visits → ``profile_visits``. Rows of the same day from the files of one download merge into one
row. Link clicks have no column: that file is read and flagged, its rows not kept. A title that
names neither Facebook nor Instagram, or no metric the workbook knows, stops the import with the
file named. The files name no account: the brief's fills it in.
"""

from __future__ import annotations

import pandas as pd

from helpers.client.imports.core import Context, ExportError, Format, Grid, normalise
from helpers.client.imports.formats.common import count_column, daily_rows
from helpers.client.imports.values import local_day, timestamps

NO_ACCOUNT = ""  # the files do not name the profile: the brief's account fills it in

#: Words of the title line → network.
NETWORKS = {"instagram": "instagram", "facebook": "facebook"}
#: Words of the title line (English and French interfaces) → column of account_daily ("" = none).
METRICS = (
    ("link clicks", ""), ("clics sur un lien", ""), ("clics sur le lien", ""),
    ("reach", "reach"), ("couverture", "reach"),
    ("views", "impressions"), ("vues", "impressions"),
    ("follows", "follows"), ("followers", "follows"), ("abonnements", "follows"), ("abonnés", "follows"),
    ("interactions", "engagements"),
    ("visits", "profile_visits"), ("visites", "profile_visits"),
)  # fmt: skip


def _title(grid: Grid) -> str:
    """The metric's title: the preamble line that is not the ``sep=`` hint."""
    lines = [" ".join(c for c in row if c).strip() for row in grid.preamble]
    return next((line for line in lines if line and not line.lower().startswith("sep=")), "")


def read_title(grid: Grid) -> tuple[str, str]:
    """(network, column of account_daily) named by the file's title line.

    Raises:
        ExportError: the title names no network or no metric the workbook knows (the file is named).
    """
    title = normalise(_title(grid))
    network = next((v for k, v in NETWORKS.items() if k in title), "")
    metric = next((v for k, v in METRICS if k in title), None)
    if not network or metric is None:
        raise ExportError(
            f"{grid.source}: Meta account export whose title line {_title(grid)!r} names "
            "no network (Facebook, Instagram) or no metric the workbook reads "
            "(reach, views, follows, interactions, visits, link clicks)"
        )
    return network, metric


def account_series(grid: Grid, ctx: Context) -> pd.DataFrame:
    """One metric of one account per day, as a column of ``account_daily``."""
    network, metric = read_title(grid)
    day = local_day(timestamps(grid, "date", ctx.tz, ctx=ctx, table="account_daily"), ctx.tz)
    if not metric:
        values = count_column(grid, ctx, "account_daily", "primary")
        why = "link clicks per day: no column of the workbook keeps them"
        ctx.flag(grid, grid.frame.index[:1], "primary", why, values, "account_daily")
        return pd.DataFrame(columns=["date", "channel", "account"])
    return daily_rows(grid, ctx, "account_daily", day, network, NO_ACCOUNT, {metric: ("primary",)})


FORMATS = [
    Format(
        "meta_account_series",
        "Meta Business Suite · account time series",
        "account_daily",
        ("date", "primary"),
        account_series,
    ),
]
