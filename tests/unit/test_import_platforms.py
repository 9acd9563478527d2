"""Platform exports (X, TikTok, YouTube, legacy Facebook Insights) into the canonical tables.

Each fixture under tests/fixtures/exports/<platform>/ copies a real layout with its quirks
(the platforms' real layouts); ``expected_*.csv`` beside it is the canonical output written by hand.
Binary fixtures are written by tests/fixtures/exports/make_platform_exports.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from helpers.client.imports import ExportError, ImportResult, import_paths
from helpers.client.imports.formats import (
    facebook_insights,
    meta,
    meta_account,
    templates,
    tiktok,
    x,
    youtube,
)

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"
TZ = "Europe/Paris"
OTHERS = [*meta.FORMATS, *templates.FORMATS]
#: Columns the golden comparison sorts on.
KEYS = {
    "posts": ["channel", "post_id"],
    "followers": ["account", "date"],
    "visits": ["date"],
    "audience": ["dimension", "value"],
    "account_daily": ["channel", "date"],
}


def inputs(folder: str) -> list[Path]:
    """The export files of a fixture folder (not the expected outputs)."""
    return sorted(p for p in (EXPORTS / folder).iterdir() if not p.name.startswith("expected_"))


def digest(paths: list[Path]) -> dict[Path, str]:
    files = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*"))) if f.is_file()]
    return {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def run(paths: list[Path], formats: list) -> ImportResult:
    """Import, and check that the raw files are byte for byte what they were."""
    before = digest(paths)
    result = import_paths(paths, tz=TZ, formats=[*formats, *OTHERS])
    assert digest(paths) == before, "an import changed a raw export file"
    return result


def expected(folder: str, table: str) -> pd.DataFrame:
    return pd.read_csv(EXPORTS / folder / f"expected_{table}.csv", dtype=str, keep_default_na=False)


def assert_golden(actual: pd.DataFrame, folder: str, table: str) -> None:
    """The imported table equals the hand-written one on the columns the latter lists."""
    want = expected(folder, table)
    keys = [k for k in KEYS[table] if k in want.columns]
    got = actual[want.columns].sort_values(keys).reset_index(drop=True)
    want = want.sort_values(keys).reset_index(drop=True)
    assert len(got) == len(want), f"{table}: {len(got)} rows, expected {len(want)}"
    for column in want.columns:
        if column == "published_at":
            left = got[column]
            right = pd.to_datetime(want[column], utc=True)
        elif column == "date":
            left, right = got[column], pd.to_datetime(want[column])
        elif column == "share":
            left, right = got[column], pd.to_numeric(want[column])
        elif column == "paid":
            left = got[column].astype("string").fillna("")
            right = want[column].astype("string")
        elif pd.api.types.is_numeric_dtype(got[column]):
            left = got[column].astype("Float64")
            right = pd.to_numeric(want[column].replace("", None)).astype("Float64")
        else:
            left, right = got[column].astype("string"), want[column].astype("string")
        pd.testing.assert_series_equal(
            left, right, check_names=False, check_dtype=False, obj=f"{table}.{column}"
        )


def copy_with_date(paths: list[Path], target: Path, day: dt.date) -> list[Path]:
    """Copies whose modification time (the export date the pipeline reads) is ``day``."""
    stamp = dt.datetime.combine(day, dt.time(9)).timestamp()
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for path in paths:
        copy = target / path.name
        if path.is_dir():
            shutil.copytree(path, copy)
        else:
            shutil.copy(path, copy)
        for f in [copy, *copy.rglob("*")]:
            os.utime(f, (stamp, stamp))
        out.append(copy)
    return out


def rewrite(path: Path, target: Path, old: str, new: str) -> Path:
    """A copy of a text fixture in ``target`` with the first ``old`` replaced by ``new``."""
    text = path.read_bytes().decode("utf-8")
    assert old in text
    target.mkdir(parents=True, exist_ok=True)
    out = target / path.name
    out.write_bytes(text.replace(old, new, 1).encode("utf-8"))
    return out


def message(paths: list[Path], formats: list) -> str:
    with pytest.raises(ExportError) as caught:
        import_paths(paths, tz=TZ, formats=[*formats, *OTHERS])
    return str(caught.value)


# --- X ----------------------------------------------------------------------------------------------


def test_x_posts_match_golden_output():
    result = run(inputs("x"), x.FORMATS)
    posts = result.tables["posts"]
    assert_golden(posts, "x", "posts")
    # 6 + 4 legacy tweets with 2 in both exports, 3 from 2015, 6 + 4 current posts with 1 in both
    assert result.duplicates["posts"] == 3
    assert len(posts) == 20 and set(posts["channel"]) == {"x"}
    assert posts["impressions"].sum() == 61375
    assert posts[["reactions", "comments", "shares"]].sum().tolist() == [327, 53, 136]
    assert posts["reach"].isna().all()


def test_x_newer_export_wins_on_overlap():
    posts = run(inputs("x"), x.FORMATS).tables["posts"].set_index("post_id")
    # in the 2016-12-01 export 3442 / 5466, in the 2016-12-15 re-saved one 3980 / 6102
    assert posts.loc["811250826186816314", "impressions"] == 3980
    assert posts.loc["812369791444254801", "impressions"] == 6102
    assert "20161215" in posts.loc["812369791444254801", "source"]
    assert posts.loc["1964108998570780249", "impressions"] == 1788


def test_x_resaved_file_with_semicolons_decimal_commas_and_rounded_ids():
    path = EXPORTS / "x" / "tweet_activity_metrics_AcmeParis_20161215_20170115_en.csv"
    result = run([path], x.FORMATS)
    posts = result.tables["posts"].set_index("post_id")
    assert sorted(posts.index) == [
        "811250826186816314",
        "812369791444254801",
        "816584997366761130",
        "818824947074780683",
    ]
    assert posts.loc["816584997366761130", "impressions"] == 17604  # "17 604,0"
    assert posts.loc["816584997366761130", "video_views"] == 2310  # "2 310", narrow no-break space
    assert posts.loc["818824947074780683", "text"].endswith("; CDI à Paris https://t.co/J0bsAcMe01")
    flags = result.flags
    assert list(flags["row"]) == [2, 3, 4, 5]
    assert flags["issue"].str.contains("taken from the link").all()
    assert flags.loc[0, "value"] == "8,18825E+17"


def test_x_2015_export_says_favorites():
    path = EXPORTS / "x" / "tweet_activity_metrics_AcmeParis_20150901_20151001_en.csv"
    posts = run([path], x.FORMATS).tables["posts"]
    assert posts["reactions"].tolist() == [1, 9, 3]


def test_x_legacy_quirks_promoted_media_and_multiline_text():
    path = EXPORTS / "x" / "tweet_activity_metrics_AcmeParis_20161201_20170101_en.csv"
    posts = run([path], x.FORMATS).tables["posts"].set_index("post_id")
    assert posts["paid"].tolist() == [False, True, False, False, False, False]
    # X's own names from the media and link columns: an image is viewed when opened (views =
    # clicks), a video plays by itself (views far above clicks), a link shows in the text
    assert posts.loc["805829216292974143", "format"] == "photo"  # media views 38, engagements 38
    assert posts.loc["812369791444254801", "format"] == "video"  # media views 846, engagements 46
    assert posts.loc["807193626194742388", "format"] == "link"  # https://t.co/… and 6 URL clicks
    assert posts.loc["808952349451578498", "format"] == "text"
    assert posts.loc["807193626194742388", "text"].startswith('[blog] Le "Zoon" de nos clients & partenaires')  # &amp; unescaped
    assert "\n" in posts.loc["807193626194742388", "text"]
    assert set(posts["account"]) == {"AcmeParis"}


def test_x_current_time_comes_from_the_snowflake_id():
    path = EXPORTS / "x" / "account_analytics_content_2025-08-10_2025-09-07.csv"
    posts = run([path], x.FORMATS).tables["posts"].set_index("post_id")
    # Date says "Sat, Sep 6, 2025" (Paris); the id says 23:30:51 UTC the day before
    assert posts.loc["1964108998570780249", "published_at"] == pd.Timestamp("2025-09-05 23:30:51", tz="UTC")
    assert (
        posts.loc["1962943719209503711", "text"]
        == 'Quiz du mardi : "Paris" ou "Lyon" ?\nRépondez en commentaire !'
    )


def test_x_current_date_kept_when_the_id_disagrees(tmp_path):
    path = rewrite(
        EXPORTS / "x" / "account_analytics_content_2025-08-10_2025-09-07.csv",
        tmp_path,
        '"Tue, Aug 12, 2025"',
        '"Fri, Aug 22, 2025"',
    )
    result = run([path], x.FORMATS)
    posts = result.tables["posts"].set_index("post_id")
    assert posts.loc["1955169935768939288", "published_at"] == pd.Timestamp("2025-08-21 22:00", tz="UTC")
    flag = result.flags.iloc[0]
    assert (flag["row"], flag["column"]) == (7, "date")  # records, not lines: a caption spans two


def test_x_account_overview_gives_profile_visits_and_every_file_is_recognised():
    result = run(inputs("x"), x.FORMATS)
    assert_golden(result.tables["visits"], "x", "visits")
    assert set(result.tables["visits"]["account"]) == {x.NO_ACCOUNT}
    assert [r.source for r in result.files if not r.format] == []


X_DAILY = "daily_tweet_activity_metrics_acmeparis_20260101_20260201_en.csv"


def test_x_daily_activity_matches_golden_output_and_is_never_read_as_posts():
    result = run(inputs("x"), x.FORMATS)
    assert_golden(result.tables["account_daily"], "x", "account_daily")
    assert set(result.tables["account_daily"]["account"]) == {x.NO_ACCOUNT}
    daily = {r.source: r.table for r in result.files if r.source.startswith("daily_")}
    assert daily == {
        "daily_tweet_activity_metrics_AcmeParis_20161201_20170101_en.csv": "account_daily",
        X_DAILY: "account_daily",
    }
    assert not result.tables["posts"]["source"].str.startswith("daily_").any()
    assert not result.tables["visits"]["source"].str.startswith("daily_").any()
    alone = run([EXPORTS / "x" / X_DAILY], x.FORMATS)
    assert set(alone.tables) == {"account_daily"} and len(alone.tables["account_daily"]) == 5
    assert alone.flags.empty
    # and the per-tweet and overview files, whose headers share most of its names, stay what they were
    tweets = run([EXPORTS / "x" / "tweet_activity_metrics_AcmeParis_20161201_20170101_en.csv"], x.FORMATS)
    overview = run([EXPORTS / "x" / "account_overview_analytics.csv"], x.FORMATS)
    assert (set(tweets.tables), set(overview.tables)) == ({"posts"}, {"visits"})




def test_x_daily_promoted_dash_is_unknown_not_zero():
    from helpers.client.imports.core import detect, make_grid, read_sheets
    from helpers.client.imports.values import numbers

    [sheet] = read_sheets(EXPORTS / "x" / X_DAILY)
    fmt, header = detect(sheet, [*x.FORMATS, *OTHERS])
    assert fmt.name == "x_daily_tweet_activity"
    grid = make_grid(sheet, header)
    promoted = numbers(grid, "promoted impressions")
    assert promoted.isna().tolist() == [True, True, False, True, True]  # only 3 January was promoted
    daily = run([EXPORTS / "x" / X_DAILY], x.FORMATS).tables["account_daily"].set_index("date")
    # the organic figures, the promoted ones (6200 impressions, 5 follows) not added
    assert daily.loc["2026-01-03", ["impressions", "follows"]].tolist() == [4105, 3]
    assert daily["impressions"].sum() == 512 + 2630 + 4105 + 1240 + 1980


# --- TikTok -------------------------------------------------------------------------------------------


@pytest.fixture
def tiktok_result(tmp_path):
    """The TikTok fixtures as exported on 10 January 2026 (Athens account: 5 January).

    The pipeline reads the export date from the files' modification time, so the fixtures are
    imported from dated copies (checked to be byte for byte the committed files).
    """
    folder = EXPORTS / "tiktok"
    paris = [
        folder / "Content.csv",
        folder / "Overview.csv",
        folder / "Viewers.csv",
        folder / "Followers_acme.paris.zip",
    ]
    paths = copy_with_date(paris, tmp_path, dt.date(2026, 1, 10))
    paths += copy_with_date([folder / "Followers_acme.athens"], tmp_path, dt.date(2026, 1, 5))
    assert sorted(p.name for p in paths) == [p.name for p in inputs("tiktok")]
    result = run(paths, tiktok.FORMATS)
    originals = digest([folder / p.name for p in paths])
    assert sorted(digest(paths).values()) == sorted(originals.values())
    return result


def test_tiktok_tables_match_golden_outputs(tiktok_result):
    for table in ("posts", "followers", "audience", "visits", "account_daily"):
        assert_golden(tiktok_result.tables[table], "tiktok", table)
    posts = tiktok_result.tables["posts"]
    assert posts["impressions"].sum() == 96432 and posts["reach"].isna().all()
    assert posts[["reactions", "comments", "shares"]].sum().tolist() == [5927, 204, 463]


def test_tiktok_negative_comments_are_kept_and_flagged(tiktok_result):
    flags = tiktok_result.flags
    negative = flags[flags["issue"] == "negative count"]
    assert negative[["file", "row", "column", "value"]].values.tolist() == [
        ["Content.csv", 8, "total comments", "-2.0"]
    ]


def test_tiktok_times_come_from_video_ids_across_the_new_year(tiktok_result):
    posts = tiktok_result.tables["posts"].set_index("post_id")
    # "January 1" in the file: 23:50 in Paris on 1 January, 22:50 UTC on 31 December 2025
    assert posts.loc["7590158170618431405", "published_at"] == pd.Timestamp("2025-12-31 22:50:12", tz="UTC")
    assert posts.loc["7588993324607071280", "published_at"].year == 2025
    assert posts.loc["7593269952913436335", "published_at"].year == 2026


def test_tiktok_follower_files_name_the_account_and_header_only_files_give_no_rows(tiktok_result):
    followers = tiktok_result.tables["followers"]
    assert set(followers["account"]) == {"acme.paris", "acme.athens"}
    empty = [r for r in tiktok_result.files if r.table == "audience" and r.rows == 0]
    assert sorted(r.source for r in empty) == ["FollowerGender.csv", "FollowerTopTerritories.csv"]
    realigned = tiktok_result.flags[tiktok_result.flags["issue"].str.contains("next day")]
    assert realigned[["file", "row"]].values.tolist() == [["FollowerHistory.csv", 2]]


def test_tiktok_viewers_leave_out_the_undefined_day_under_way(tiktok_result):
    daily = tiktok_result.tables["account_daily"]
    assert len(daily) == 11 and daily["date"].max() == pd.Timestamp("2026-01-09")
    assert daily["viewers"].notna().all() and not daily["viewers"].eq(0).any()
    report = {r.source: (r.table, r.rows, r.note) for r in tiktok_result.files}
    assert report["Viewers.csv"] == ("account_daily", 11, "")
    assert not tiktok_result.flags["file"].eq("Viewers.csv").any()


def test_tiktok_follower_activity_feeds_the_hourly_activity(tiktok_result):
    """7 days × 24 hours; the export day (10 January) is written 0 from 09:00 on, hours not yet
    come: they are left out (unknown), the hours before are kept."""
    [report] = [r for r in tiktok_result.files if r.source.endswith("FollowerActivity.csv")]
    assert report.source == "Followers_acme.paris.zip!FollowerActivity.csv"
    assert report.format == "TikTok Studio · FollowerActivity.csv (active followers by hour)"
    assert (report.table, report.rows) == ("activity", 6 * 24 + 9)
    activity = tiktok_result.tables["activity"]
    days = activity.groupby("date")["hour"].agg(["count", "max"])
    assert list(days["count"]) == [24] * 6 + [9] and days["max"].iloc[-1] == 8
    assert activity["date"].min() == pd.Timestamp("2026-01-04")  # the year from the export date
    assert set(activity["channel"]) == {"tiktok"} and activity["active_followers"].notna().all()
    assert not any(r.note.startswith("skipped") for r in tiktok_result.files)


def test_tiktok_yearless_post_times_wrap_from_december_to_january(tmp_path):
    header = '"Time","Video title","Video link","Post time","Total likes","Total comments","Total shares","Total views"'
    rows = [
        '"January 10","Rétro","https://vm.tiktok.com/ZMacme01/","December 28","10","1","0","100"',
        '"January 10","Vœux","https://vm.tiktok.com/ZMacme02/","January 3","20","2","1","200"',
    ]
    path = tmp_path / "Content.csv"
    path.write_text("\n".join([header, *rows]), encoding="utf-8")
    [path] = copy_with_date([path], tmp_path / "dated", dt.date(2026, 1, 10))
    posts = run([path], tiktok.FORMATS).tables["posts"].set_index("post_id")
    assert posts.loc["https://vm.tiktok.com/ZMacme01/", "published_at"] == pd.Timestamp(
        "2025-12-27 23:00", tz="UTC"
    )
    assert posts.loc["https://vm.tiktok.com/ZMacme02/", "published_at"] == pd.Timestamp(
        "2026-01-02 23:00", tz="UTC"
    )
    assert set(posts["account"]) == {tiktok.NO_ACCOUNT}


def test_tiktok_a_year_of_history_starting_on_the_export_day(tmp_path):
    days = pd.date_range("2025-06-30", "2026-06-29")
    lines = ['"Date","Followers","Difference in followers from previous day"']
    lines += [f'"{d.strftime("%B")} {d.day}","{100 + i}","1"' for i, d in enumerate(days)]
    path = tmp_path / "FollowerHistory.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    [path] = copy_with_date([path], tmp_path / "dated", dt.date(2026, 6, 30))
    followers = run([path], tiktok.FORMATS).tables["followers"].sort_values("followers")
    assert len(followers) == 365
    assert followers["date"].tolist() == list(days)


def test_tiktok_malformed_post_time_and_views_name_file_row_column(tmp_path):
    content = EXPORTS / "tiktok" / "Content.csv"
    bad_date = rewrite(content, tmp_path, '"December 24"', '"Smarch 24"')
    text = message(copy_with_date([bad_date], tmp_path / "a", dt.date(2026, 1, 10)), tiktok.FORMATS)
    assert "Content.csv" in text and "row 7" in text and "'post time'" in text and "expected a date" in text
    bad_views = rewrite(content, tmp_path / "a", '"6120"', '"6 120 vues"')
    text = message(copy_with_date([bad_views], tmp_path / "b", dt.date(2026, 1, 10)), tiktok.FORMATS)
    assert (
        "Content.csv" in text and "row 6" in text and "'total views'" in text and "expected a number" in text
    )


def test_tiktok_zip_member_error_names_the_member(tmp_path):
    source = EXPORTS / "tiktok" / "Followers_acme.paris.zip"
    target = tmp_path / source.name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "FollowerHistory.csv":
                data = data.replace(b'"1219","8"', b'"1219","huit"')
            new.writestr(item, data)
    text = message(copy_with_date([target], tmp_path / "dated", dt.date(2026, 1, 10)), tiktok.FORMATS)
    assert "Followers_acme.paris.zip!FollowerHistory.csv" in text
    assert (
        "row 6" in text
        and "'difference in followers from previous day'" in text
        and "expected a number" in text
    )


# --- YouTube ------------------------------------------------------------------------------------------


def test_youtube_posts_match_golden_output():
    result = run(inputs("youtube"), youtube.FORMATS)
    posts = result.tables["posts"]
    assert_golden(posts, "youtube", "posts")
    assert result.duplicates["posts"] == 1
    assert "Total" not in set(posts["post_id"])
    assert not posts["post_id"].str.startswith(" ").any()
    assert set(posts["account"]) == {youtube.NO_ACCOUNT}
    # zip: 7 videos, one without publish time left out; loose file: 4 videos, one also in the zip
    assert posts["video_views"].sum() == (31427 - 512 - 12874) + 25837
    assert posts["impressions"].sum() == (402115 - 5210 - 150230) + 98211 + 152877 + 30102 + 15230


def test_youtube_zip_reads_each_file_for_its_role():
    """The three files of the download: the Table gives the posts, the per-day Chart is recognised
    and never read as posts, the Totals check the Table's Total row."""
    path = EXPORTS / "youtube" / "Content 2023-11-01_2024-02-29 Acme Paris.zip"
    result = run([path], youtube.FORMATS)
    reports = {r.source.split("!")[1]: r for r in result.files}
    assert (reports["Table data.csv"].table, reports["Table data.csv"].rows) == ("posts", 6)
    for name in ("Chart data.csv", "Totals.csv"):
        assert reports[name].table == "" and reports[name].note.startswith("recognised, not used"), name
        assert reports[name].format.startswith("YouTube Studio")
    posts = result.tables["posts"]
    # the same posts and sums as Table data.csv alone
    alone = run([_member(path, "Table data.csv")], youtube.FORMATS).tables["posts"]
    cols = ["post_id", "impressions", "reactions", "video_views"]
    pd.testing.assert_frame_equal(
        posts[cols].sort_values("post_id").reset_index(drop=True),
        alone[cols].sort_values("post_id").reset_index(drop=True),
    )
    assert posts["reactions"].sum() == 1043 - 4 and posts["comments"].sum() == 121 - 1
    # the per-video figures add up to the Total row, and the Totals file agrees with it: no flag
    assert not result.flags["issue"].str.contains("Total row|do not agree").any()


def test_youtube_totals_that_disagree_with_the_table_are_flagged(tmp_path):
    source = EXPORTS / "youtube" / "Content 2023-11-01_2024-02-29 Acme Paris.zip"
    with zipfile.ZipFile(source) as zin:
        members = {n: zin.read(n) for n in zin.namelist()}
    members["Totals.csv"] = members["Totals.csv"].replace(b"2024-02-29,6000", b"2024-02-29,6100")
    target = tmp_path / source.name
    with zipfile.ZipFile(target, "w") as zout:
        for name, data in members.items():
            zout.writestr(name, data)
    flags = run([target], youtube.FORMATS).flags
    odd = flags[flags["issue"].str.contains("do not agree")]
    assert len(odd) == 1
    assert odd.iloc[0]["file"].endswith("!Totals.csv") and odd.iloc[0]["column"] == "views"
    assert "31527" in odd.iloc[0]["issue"] and "31427" in odd.iloc[0]["issue"]


def _member(zip_path: Path, name: str) -> Path:
    """One member of a zip, extracted next to a temporary copy (its own folder)."""
    import tempfile

    folder = Path(tempfile.mkdtemp())
    with zipfile.ZipFile(zip_path) as z:
        (folder / name).write_bytes(z.read(name))
    return folder / name


def test_youtube_total_row_checked_and_undated_videos_flagged():
    flags = run(inputs("youtube"), youtube.FORMATS).flags.set_index("file")
    total = flags.loc["Table data.csv"]
    assert (total["row"], total["column"]) == (2, "views")
    assert "26410" in total["issue"] and "25837" in total["issue"]
    undated = flags.loc["Content 2023-11-01_2024-02-29 Acme Paris.zip!Table data.csv"]
    assert (undated["row"], undated["column"], undated["value"]) == (8, "video publish time", "Po0Iu9Yt8Re")


def test_youtube_unreadable_value_in_zip_names_member_row_column(tmp_path):
    source = EXPORTS / "youtube" / "Content 2023-11-01_2024-02-29 Acme Paris.zip"
    target = tmp_path / source.name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "Table data.csv":
                data = data.replace(b",121004,", b",abc,")
            new.writestr(item, data)
    text = message([target], youtube.FORMATS)
    assert "Content 2023-11-01_2024-02-29 Acme Paris.zip!Table data.csv" in text
    assert "row 4" in text and "'impressions'" in text and "expected a number" in text


def test_youtube_malformed_publish_time(tmp_path):
    path = rewrite(EXPORTS / "youtube" / "Table data.csv", tmp_path, "2024-03-14 19:00:00", "14 Marsch 2024")
    text = message([path], youtube.FORMATS)
    assert "Table data.csv" in text and "row 5" in text and "'video publish time'" in text
    assert "expected a date" in text


# --- Facebook Insights (legacy) -------------------------------------------------------------------------

FB_CSV = "Facebook Insights Data Export (Post Level) - Acme Lyon - 2015-10-05.csv"
FB_XLS = "Facebook Insights Data Export (Post Level) - Acme Paris - 2017-07-27.xls"
FB_XLSX = "Facebook Insights Data Export (Post Level) - Acme Paris - 2017-10-22.xlsx"


def test_facebook_insights_posts_match_golden_output():
    result = run(inputs("facebook_insights"), facebook_insights.FORMATS)
    posts = result.tables["posts"]
    assert_golden(posts, "facebook_insights", "posts")
    assert result.duplicates["posts"] == 2
    assert posts["impressions"].sum() == 6537 + (2230 + 1650 + 6880) + (445 + 3320 + 1204 + 8120 + 2480 + 820)
    assert posts["reach"].sum() == 3857 + (1510 + 980 + 4120) + (322 + 2190 + 870 + 5300 + 1660 + 640)


def test_facebook_insights_description_row_is_dropped_and_read():
    result = run([EXPORTS / "facebook_insights" / FB_CSV], facebook_insights.FORMATS)
    assert result.files[0].rows == 4
    posts = result.tables["posts"].set_index("post_id")
    # "Lifetime Organic Video Views" twice: 1210 (Total Count), 980 (Unique Users)
    assert posts.loc["951745098223517_979811325416894", "video_views"] == 1210
    # like/comment/share from "Lifetime Talking About This (Post) by action type - …" columns
    assert posts.loc["951745098223517_979811325416894", ["reactions", "comments", "shares"]].tolist() == [
        88,
        12,
        20,
    ]


def test_facebook_insights_workbook_reads_breakdown_sheets_and_totals():
    result = run([EXPORTS / "facebook_insights" / FB_XLSX], facebook_insights.FORMATS)
    assert [(r.source.split(":")[-1], r.rows) for r in result.files] == [("Key Metrics", 6)]
    video = result.tables["posts"].set_index("post_id").loc["1428705277432281_1933344455566677"]
    # "Lifetime Post Stories by act..." (totals) wins over "Lifetime Talking About This(..." (people)
    assert [video["reactions"], video["comments"], video["shares"]] == [214, 41, 66]
    # unique users come first in this workbook: totals 3310 + 1150, not 2400 + 900
    assert video["video_views"] == 4460


def test_facebook_insights_unreadable_impressions(tmp_path):
    path = rewrite(EXPORTS / "facebook_insights" / FB_CSV, tmp_path, ",455,455,0,701,", ",455,455,0,abc,")
    text = message([path], facebook_insights.FORMATS)
    assert FB_CSV in text and "row 4" in text and "'lifetime post total impressions'" in text
    assert "expected a number" in text and "'abc'" in text


def test_facebook_insights_malformed_posted_date(tmp_path):
    path = rewrite(EXPORTS / "facebook_insights" / FB_CSV, tmp_path, "9/30/2015 18:05", "30/30/2015 18:05")
    text = message([path], facebook_insights.FORMATS)
    assert FB_CSV in text and "row 5" in text and "'posted'" in text and "expected a date" in text


def test_facebook_insights_xls_error_names_the_sheet(tmp_path):
    import xlrd
    import xlwt

    source = (
        EXPORTS
        / "facebook_insights"
        / "Facebook Insights Data Export (Post Level) - Acme Paris - 2017-07-27.xls"
    )
    book = xlrd.open_workbook(str(source))
    copy = xlwt.Workbook(encoding="utf-8")
    for sheet in book.sheets():
        out = copy.add_sheet(sheet.name)
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                broken = sheet.name == "Key Metrics" and (r, c) == (4, 8)
                out.write(r, c, "n/d ?" if broken else sheet.cell_value(r, c))
    target = tmp_path / source.name
    copy.save(str(target))
    text = message([target], facebook_insights.FORMATS)
    assert f"{source.name}:Key Metrics" in text and "row 5" in text and "'lifetime post total reach'" in text


# --- Meta Business Suite, account time series ------------------------------------------------------


def test_meta_account_files_merge_into_one_row_a_day():
    """One UTF-16 file per metric, the metric named by the title line: the files of a download
    give one account_daily row a day; link clicks, which no column keeps, are flagged."""
    result = run(inputs("meta_account"), meta_account.FORMATS)
    assert_golden(result.tables["account_daily"], "meta_account", "account_daily")
    daily = result.tables["account_daily"].set_index("date").sort_index()
    assert list(daily.index.strftime("%Y-%m-%d")) == ["2026-03-28", "2026-03-29", "2026-03-30"]
    assert set(daily["channel"]) == {"instagram"}
    assert daily["reach"].tolist() == [812, 940, 1033]
    assert daily["follows"].tolist() == [4, 0, 7]  # a day without follows is 0, not unknown
    assert pd.isna(daily["impressions"].iloc[0]) and daily["impressions"].tolist()[1:] == [2210, 2488]
    assert daily["engagements"].isna().all()  # no Interactions.csv in this download: unknown
    flagged = result.flags.set_index("file").loc["Link clicks.csv"]
    assert flagged["table"] == "account_daily" and "link clicks" in flagged["issue"]


def test_meta_account_title_without_network_names_the_file(tmp_path):
    lines = ["sep=,", "Reach", 'Date,"Primary"', '2026-03-28T00:00:00,"12"']
    (tmp_path / "Reach.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-16"))
    text = message([tmp_path / "Reach.csv"], meta_account.FORMATS)
    assert "Reach.csv" in text and "names no network" in text and "'Reach'" in text
