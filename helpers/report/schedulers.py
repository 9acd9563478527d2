"""The content calendar as bulk-import files for two widely used schedulers: Hootsuite, Metricool.

Each planned post becomes one row; its message is the post's caption brief (the words are written
by :mod:`helpers.report.pages.planning`, in the report's language: the writer replaces it before
publishing). Times are the client's wall-clock times (``brief.client.timezone``): both tools read
a time in the time zone set on the account (Hootsuite) or the brand (Metricool), which must be the
client's. Only the networks a tool can publish to from its import are written. Every text cell
that a spreadsheet would run as a formula is guarded (:func:`helpers.client.loading.guard_cell`).

**Hootsuite, Bulk Composer** (``calendar_hootsuite/<network>.csv``). What the sources read here
document (users' step-by-step guides quoting the upload window:
http://jycalcano.blogspot.com/2015/07/post-8-hootsuite-bulk-messaging.html,
https://kim-iverson-headlee.blogspot.com/2016/08/the-business-of-writing-using-hootsuite.html;
Hootsuite's own help page was not among them): a CSV of up to 350 messages, three columns in this
order: the date and time, the message, the link (optional); the date format is picked at upload
(``mm/dd/yyyy hh:mm`` shown); the file is UTF-8. Hootsuite's upload rules as the workbook's issue
quotes them, not confirmed by those sources: no header row, the date ``DD/MM/YYYY HH:mm`` or
``MM/DD/YYYY HH:mm``, 24-hour clock, minutes a multiple of 5; the files follow them. Every row of
an upload goes to the social accounts picked at upload, so the file is split per network: one file
per network the plan posts on. Assumptions where nothing says more:

* the date is written ``DD/MM/YYYY HH:mm`` (``HOOTSUITE_DATE_FORMAT``): pick "Day/Month/Year" at
  upload;
* a time whose minutes are not a multiple of 5 is moved to the next multiple (the plan's times
  are on the hour, so none moves today);
* Bulk Composer publishes to Facebook, Instagram, LinkedIn and X (``HOOTSUITE_NETWORKS``); TikTok
  and YouTube posts need their video uploaded one by one, so they are left out;
* the link column stays empty (the plan has no link yet); a message must be unique, so the
  caption brief carries the post's number;
* a plan longer than ``HOOTSUITE_MAX_ROWS`` per network is not split further: the strategist
  uploads it in parts.

**Metricool, CSV import of the Planner** (``calendar_metricool.csv``). Metricool's template is
downloaded from its Planner ("import from CSV"); its help page was not among the sources that could
be read here, so the column names and their order were checked against the template as reproduced
by public code that writes that file. The template
has a header row, one row per post: ``Text``, ``Date``, ``Time``, ``Draft``, then one
``true``/``false`` column per network (``Facebook``, ``Twitter/X``, ``LinkedIn``, ``GBP``,
``Instagram``, ``Pinterest``, ``TikTok``, ``Youtube``, ``Threads``, ``Bluesky``), then media and
per-network options (``Instagram Post Type``, ``Facebook Post Type``: ``POST``, ``REEL`` or
``STORY``...). Assumptions:

* columns are matched by their header, so the file carries the template's columns the plan fills,
  in the template's order (``METRICOOL_COLUMNS``), not the ~90 columns of every option;
* the date is ``YYYY-MM-DD`` and the time ``HH:MM:SS`` (24 h); booleans ``true``/``false``;
* every post is imported as a draft (``METRICOOL_DRAFT``): its text is a brief, not the caption;
* Metricool publishes to all six networks of the workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from helpers.client.loading import write_csv

#: Hootsuite Bulk Composer: date and time as written (day first, 24-hour clock).
HOOTSUITE_DATE_FORMAT = "%d/%m/%Y %H:%M"
#: Hootsuite Bulk Composer: the minutes of a scheduled time are a multiple of this.
HOOTSUITE_MINUTE_STEP = 5
#: Hootsuite Bulk Composer: most messages one upload takes.
HOOTSUITE_MAX_ROWS = 350
#: Networks Bulk Composer publishes to (workbook ids), in the order their files are written.
HOOTSUITE_NETWORKS: tuple[str, ...] = ("facebook", "instagram", "linkedin", "x")

#: Metricool CSV import: the template's columns the workbook fills, in the template's order.
METRICOOL_COLUMNS: tuple[str, ...] = (
    "Text", "Date", "Time", "Draft",
    "Facebook", "Twitter/X", "LinkedIn", "GBP", "Instagram", "Pinterest", "TikTok", "Youtube",
    "Threads", "Bluesky", "Instagram Post Type", "Facebook Post Type",
)  # fmt: skip
#: Metricool CSV import: the network column of each workbook network.
METRICOOL_NETWORKS: dict[str, str] = {
    "facebook": "Facebook", "x": "Twitter/X", "linkedin": "LinkedIn",
    "instagram": "Instagram", "tiktok": "TikTok", "youtube": "Youtube",
}  # fmt: skip
#: Metricool CSV import: date and time as written.
METRICOOL_DATE_FORMAT, METRICOOL_TIME_FORMAT = "%Y-%m-%d", "%H:%M:%S"
#: Posts are imported as drafts: their text is the writer's brief, not the caption to publish.
METRICOOL_DRAFT = True
#: Metricool's post type (Instagram, Facebook) of a workbook format; any other format is a post.
METRICOOL_POST_TYPES: dict[str, str] = {"reel": "REEL", "story": "STORY"}


def _local(start: pd.Timestamp, zone: str) -> dt.datetime:
    return start.tz_convert(zone).to_pydatetime().replace(tzinfo=None)


def hootsuite_time(start: pd.Timestamp, zone: str) -> dt.datetime:
    """The wall-clock time in ``zone`` of a post, moved to the next multiple of
    ``HOOTSUITE_MINUTE_STEP`` minutes when it is not on one (seconds dropped)."""
    local = _local(start, zone).replace(second=0, microsecond=0)
    late = local.minute % HOOTSUITE_MINUTE_STEP
    return local + dt.timedelta(minutes=HOOTSUITE_MINUTE_STEP - late) if late else local


def _messages(calendar: pd.DataFrame, messages: pd.Series | Mapping) -> list[str]:
    texts = [str(messages[i]) if i in messages else "" for i in calendar.index]
    numbers = calendar["post_no"].tolist()
    empty = [int(n) for n, m in zip(numbers, texts, strict=True) if not m.strip()]
    if empty:
        raise ValueError(f"no message for the planned post(s) {empty[:10]}: every row needs a caption brief")
    return texts


def write_hootsuite(
    calendar: pd.DataFrame, messages: pd.Series, folder: str | Path, zone: str
) -> dict[str, Path]:
    """Write one Hootsuite Bulk Composer file per network of ``HOOTSUITE_NETWORKS`` that has posts.

    Args:
        calendar: the planned posts (:func:`helpers.method.planning.build_calendar`).
        messages: each post's message (same index as ``calendar``), e.g. its caption brief.
        folder: where the files go (created; the files it held before are removed, so it never
            keeps a network the plan no longer posts on).
        zone: the client's time zone (the times are its wall-clock times).

    Returns:
        The file written for each network, ``{network: path}``.

    Raises:
        ValueError: a post without a message.
    """
    texts = _messages(calendar, messages)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        old.unlink()
    written: dict[str, Path] = {}
    frame = pd.DataFrame(
        {
            "when": [hootsuite_time(s, zone).strftime(HOOTSUITE_DATE_FORMAT) for s in calendar["start"]],
            "message": texts,
            "link": "",
            "channel": list(calendar["channel"]),
        }
    )
    for network in HOOTSUITE_NETWORKS:
        rows = frame.loc[frame["channel"] == network, ["when", "message", "link"]]
        if len(rows):
            written[network] = write_csv(rows, folder / f"{network}.csv", header=False)
    return written


def write_metricool(calendar: pd.DataFrame, messages: pd.Series, path: str | Path, zone: str) -> Path:
    """Write the Metricool CSV import file: a header row (``METRICOOL_COLUMNS``), one row per post
    on a network of ``METRICOOL_NETWORKS``, as a draft (``METRICOOL_DRAFT``).

    Args:
        calendar, messages, zone: as :func:`write_hootsuite`.
        path: the CSV file.

    Raises:
        ValueError: a post without a message.
    """
    texts = _messages(calendar, messages)
    rows = []
    for post, text in zip(calendar.to_dict("records"), texts, strict=True):
        column = METRICOOL_NETWORKS.get(post["channel"])
        if column is None:
            continue
        local = _local(post["start"], zone)
        row = dict.fromkeys(METRICOOL_COLUMNS, "")
        kind = METRICOOL_POST_TYPES.get(post["format"], "POST")
        row.update(
            {
                "Text": text,
                "Date": local.strftime(METRICOOL_DATE_FORMAT),
                "Time": local.strftime(METRICOOL_TIME_FORMAT),
                "Draft": _bool(METRICOOL_DRAFT),
                **{c: _bool(c == column) for c in METRICOOL_COLUMNS[4:14]},
                "Instagram Post Type": kind if column == "Instagram" else "",
                "Facebook Post Type": kind if column == "Facebook" else "",
            }
        )
        rows.append(row)
    return write_csv(pd.DataFrame(rows, columns=list(METRICOOL_COLUMNS), dtype=str), path)


def _bool(value: bool) -> str:
    return "true" if value else "false"
