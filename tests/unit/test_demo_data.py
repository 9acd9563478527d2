"""The demo client's committed data: reproducible, in the platforms' own formats, with the planted effects.

Posts and mentions live in ``exports/`` as the platforms deliver them; ``tables/`` holds only the
workbook's templates (followers, audience, competitors, care, leads, spend, customers). The planted
effects are checked twice, with plain pandas, the way an analyst would:

- ``importers``: on the canonical tables ``helpers.client.imports.import_paths`` reads from ``exports/``.
  A check that needs a source whose importer is not registered yet (in ``helpers/client/imports/
  registry.py``) is skipped at run time, with the source named;
- ``generator``: on the generator's own canonical tables (``demo.canonical_posts``...), always.

Each check also runs on a control data set generated without the effects (``demo.NO_EFFECTS``)
and must fail there, so removing an effect from the generator breaks these tests.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.client import imports
from helpers.client.brief import load_brief
from helpers.client.schemas import TABLES
from tools.demo import world as demo
from tools.demo.generate import generate

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "clients" / "demo"
TABLES_DIR, EXPORTS_DIR = DEMO_DIR / "tables", DEMO_DIR / "exports"
TZ = "Europe/Paris"
SLOT = (3, 18)  # Thursday, 18:00-18:59 local time
NETWORKS = ("facebook", "instagram", "linkedin", "x")
#: Denominator of the engagement rate per network: LinkedIn and X exports give no reach.
DENOMINATOR = {"facebook": "reach", "instagram": "reach", "linkedin": "impressions", "x": "impressions"}
PATTERNS = {
    "datetime": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z",
    "date": r"\d{4}-\d{2}-\d{2}",
    "bool": r"true|false",
    "int": r"\d+",
    "float": r"\d+(\.\d+)?",
}
META_FILE = re.compile(r"([A-Z][a-z]{2}-\d{2}-\d{4})_([A-Z][a-z]{2}-\d{2}-\d{4})_\d{16}\.csv")
X_FILE = re.compile(r"tweet_activity_metrics_atelierseve_(\d{8})_(\d{8})_fr\.csv")
LINKEDIN_FILE = re.compile(r"atelier-seve_content_(\d{13})\.xlsx")
FACEBOOK_HEADER = (
    '"Post ID","Page ID","Page name",Title,Description,"Duration (sec)","Publish time","Caption type",'
    'Permalink,"Is crosspost","Is share","Post type",Languages,"Custom labels","Funded content status",'
    '"Data comment",Date,Views,Reach,"Reactions, Comments and Shares",Reactions,Comments,Shares,'
    '"Total clicks","Link Clicks","Other Clicks"'
)
INSTAGRAM_HEADER = (
    '"Post ID","Account ID","Account username","Account name",Description,"Duration (sec)",'
    '"Publish time",Permalink,"Post type","Data comment",Date,Views,Reach,Likes,Shares,Follows,Comments,Saves'
)
X_ORGANIC = (
    "Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements", "engagement rate",
    "retweets", "replies", "likes", "user profile clicks", "url clicks", "hashtag clicks", "detail expands",
    "permalink clicks", "app opens", "app installs", "follows", "email tweet", "dial phone", "media views",
    "media engagements",
)  # fmt: skip
X_HEADER = ",".join(f'"{c}"' for c in X_ORGANIC + tuple(f"promoted {c}" for c in X_ORGANIC[4:]))
LINKEDIN_HEADER = [
    "Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date",
    "Campaign start date", "Campaign end date", "Audience", "Impressions",
    "Views (excluding off-site video views)", "Off-site views", "Clicks", "Click through rate (CTR)",
    "Likes", "Comments", "Reposts", "Follows", "Engagement rate", "Content Type",
]  # fmt: skip
BRANDWATCH_HEADER = (
    '"Query Id","Query Name","Date","Mention Id","Resource Id","Url","Page Type","Language","Sentiment",'
    '"Full Text","Author","Reach (new)","Likes","Comments","Shares","X Followers","Instagram Followers","Emotion"'
)

# --- which importers exist ----------------------------------------------------------------------

#: Words that name a source in a format's name (``meta_facebook_posts``, ``x_tweet_activity``...).
SOURCE_WORDS = {
    "facebook": {"facebook"},
    "instagram": {"instagram"},
    "linkedin": {"linkedin"},
    "x": {"x", "twitter", "tweet", "tweets"},
    "brandwatch": {"brandwatch"},
}


def registered(source: str) -> bool:
    """Whether ``helpers.client.imports.FORMATS`` has an importer for a source of the demo's exports."""
    table = "mentions" if source == "brandwatch" else "posts"
    for fmt in imports.FORMATS:
        words = set(re.split(r"[^a-z0-9]+", fmt.name.lower()))
        if fmt.table == table and (fmt.channel == source or words & SOURCE_WORDS[source]):
            return True
    return False


def require(*sources: str) -> None:
    missing = [s for s in sources if not registered(s)]
    if missing:
        pytest.skip(f"{', '.join(missing)} importer not registered yet (helpers/client/imports/registry.py)")


# --- the data, as the importers read it and as the generator made it ----------------------------


@dataclass
class Data:
    via: str  # "importers" or "generator"
    posts: pd.DataFrame
    mentions: pd.DataFrame

    def need(self, *sources: str) -> None:
        """Skip when read by the importers and one of ``sources`` has none yet."""
        if self.via == "importers":
            require(*sources)

    def has(self, *sources: str) -> bool:
        return self.via == "generator" or all(registered(s) for s in sources)


def imported(folder: Path) -> Data:
    result = imports.import_paths([folder], tz=TZ)
    empty = {name: pd.DataFrame(columns=TABLES[name].column_names) for name in ("posts", "mentions")}
    return Data("importers", *(result.tables.get(name, empty[name]) for name in ("posts", "mentions")))


def generated(effects: demo.Effects) -> Data:
    world = demo.build(effects=effects)
    return Data("generator", demo.canonical_posts_of(world.posts), demo.canonical_mentions_of(world.mentions))


@pytest.fixture(scope="module")
def import_result() -> imports.ImportResult:
    return imports.import_paths([EXPORTS_DIR], tz=TZ)


@pytest.fixture(scope="module")
def world() -> demo.World:
    return demo.build()


@pytest.fixture(scope="module", params=["importers", "generator"])
def data(request: pytest.FixtureRequest) -> Data:
    return imported(EXPORTS_DIR) if request.param == "importers" else generated(demo.EFFECTS)


@pytest.fixture(scope="module", params=["importers", "generator"])
def control(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Data:
    """The same seed with every planted effect switched off."""
    if request.param == "generator":
        return generated(demo.NO_EFFECTS)
    folder = tmp_path_factory.mktemp("control")
    generate(folder, effects=demo.NO_EFFECTS)
    return imported(folder / "exports")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(TABLES_DIR / f"{name}.csv") for name in demo.TEMPLATE_TABLES}


# --- the measures an analyst would compute ------------------------------------------------------


def interactions(posts: pd.DataFrame) -> pd.Series:
    return posts[["reactions", "comments", "shares", "saves"]].astype("Float64").fillna(0).sum(axis=1)


def local_times(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(frame["published_at"], utc=True).dt.tz_convert(TZ)


def rate(posts: pd.DataFrame, denominator: str = "reach") -> float:
    """Engagement rate, ratio of sums: interactions / reach (or impressions)."""
    return float(interactions(posts).sum() / posts[denominator].astype("Float64").sum())


def heatmap(posts: pd.DataFrame, denominator: str, min_posts: int = 8) -> pd.DataFrame:
    """Engagement rate per weekday x local hour, cells with at least ``min_posts``, best first."""
    local = local_times(posts)
    cells = pd.DataFrame(
        {
            "weekday": local.dt.day_of_week,
            "hour": local.dt.hour,
            "interactions": interactions(posts),
            "base": posts[denominator].astype("Float64"),
        }
    )
    cells = cells.groupby(["weekday", "hour"]).agg(
        posts=("base", "size"), interactions=("interactions", "sum"), base=("base", "sum")
    )
    cells["rate"] = cells["interactions"] / cells["base"]
    return cells[cells["posts"] >= min_posts].sort_values("rate", ascending=False)


def slot_margin(posts: pd.DataFrame, denominator: str) -> float:
    """Rate of the planted slot over the best other cell (> 1 when the slot is first)."""
    cells = heatmap(posts, denominator)
    return float(cells.loc[SLOT, "rate"] / cells.drop(index=SLOT)["rate"].max())


def in_slot(posts: pd.DataFrame) -> pd.Series:
    local = local_times(posts)
    return (local.dt.day_of_week == SLOT[0]) & (local.dt.hour == SLOT[1])


def meta(posts: pd.DataFrame) -> pd.DataFrame:
    return posts[posts["channel"].isin(["facebook", "instagram"])]


def reels_lift(posts: pd.DataFrame) -> float:
    """Instagram reels' engagement rate over the other Instagram formats'."""
    ig = posts[posts["channel"] == "instagram"]
    return rate(ig[ig["format"] == "reel"]) / rate(ig[ig["format"] != "reel"])


def last_quarter_ratio(posts: pd.DataFrame, channel: str) -> float:
    """Engagement rate from 2026-08-01 over the rate before, for one channel."""
    own = posts[posts["channel"] == channel]
    late = local_times(own) >= pd.Timestamp("2026-08-01", tz=TZ)
    return rate(own[late], DENOMINATOR[channel]) / rate(own[~late], DENOMINATOR[channel])


def share_of_voice(mentions: pd.DataFrame) -> pd.Series:
    return mentions["brand"].value_counts(normalize=True)


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    book = load_workbook(path, read_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    book.close()
    return rows


def only(pattern: re.Pattern) -> list[Path]:
    return sorted(p for p in EXPORTS_DIR.iterdir() if pattern.fullmatch(p.name))


def meta_files(channel: str) -> list[Path]:
    """A network's Meta exports, oldest period first."""
    header = FACEBOOK_HEADER if channel == "facebook" else INSTAGRAM_HEADER
    files = [p for p in only(META_FILE) if p.read_text(encoding="utf-8-sig").split("\n", 1)[0] == header]
    return sorted(
        files, key=lambda p: pd.to_datetime(META_FILE.fullmatch(p.name).group(1), format="%b-%d-%Y")
    )


# --- reproducibility and the files --------------------------------------------------------------


def data_files(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix() for sub in ("tables", "exports") for p in (folder / sub).iterdir()
    )


def test_regenerating_gives_the_committed_files(tmp_path: Path) -> None:
    counts = generate(tmp_path)
    assert sorted(counts) == data_files(tmp_path) == data_files(DEMO_DIR)
    for name in counts:
        assert (tmp_path / name).read_bytes() == (DEMO_DIR / name).read_bytes(), (
            f"{name} differs: regenerate it"
        )
    for name in demo.TEMPLATE_TABLES:
        assert counts[f"tables/{name}.csv"] == len(pd.read_csv(TABLES_DIR / f"{name}.csv"))


def test_generating_replaces_its_own_files_only(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    (tmp_path / "exports").mkdir()
    for stale in (
        "tables/posts.csv",
        "tables/mentions.csv",
        "exports/tweet_activity_metrics_atelierseve_20200101_20200201_fr.csv",
    ):
        (tmp_path / stale).write_text("old\n", encoding="utf-8")
    (tmp_path / "exports" / "client_notes.csv").write_text("kept\n", encoding="utf-8")
    counts = generate(tmp_path)
    assert sorted([*counts, "exports/client_notes.csv"]) == data_files(tmp_path)


def test_demo_data_stays_small() -> None:
    size = sum((DEMO_DIR / name).stat().st_size for name in data_files(DEMO_DIR))
    assert size < 4_000_000, f"{size:,} bytes"


def test_the_brief_names_every_profile_and_competitor(tables: dict[str, pd.DataFrame]) -> None:
    brief = load_brief(DEMO_DIR / "brief.yaml")
    assert {(p.channel, p.account) for p in brief.profiles} == {
        (c, a) for c, (a, *_) in demo.PROFILES.items()
    }
    owned = set(zip(tables["followers"]["channel"], tables["followers"]["account"], strict=True))
    assert owned == {(p.channel, p.account) for p in brief.profiles}
    handles = {(c.name, channel) for c in brief.competitors for channel in c.handles}
    assert handles == set(demo.COMPETITORS)
    assert set(zip(tables["competitors"]["brand"], tables["competitors"]["channel"], strict=True)) == handles


# --- the template tables ------------------------------------------------------------------------


def test_posts_and_mentions_come_only_as_exports() -> None:
    expected = [f"{n}.csv" for n in (*demo.TEMPLATE_TABLES, "campaigns")]
    assert sorted(p.name for p in TABLES_DIR.iterdir()) == sorted(expected)


@pytest.mark.parametrize("name", demo.TEMPLATE_TABLES)
def test_tables_follow_the_templates(name: str) -> None:
    raw = (TABLES_DIR / f"{name}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    frame = pd.read_csv(TABLES_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
    columns = [c for c in TABLES[name].columns if c.name != "source"]
    assert list(frame.columns) == [c.name for c in columns]
    assert len(frame) > 0
    for column in columns:
        values = frame[column.name]
        if column.required:
            assert (values != "").all(), f"{name}.{column.name} has empty values"
        values = values[values != ""]
        if column.kind == "choice":
            assert values.isin(column.choices).all(), f"{name}.{column.name}"
        elif column.kind in PATTERNS:
            pattern = re.compile(PATTERNS[column.kind])
            bad = values[~values.map(lambda v, p=pattern: bool(p.fullmatch(v)))]
            assert bad.empty, f"{name}.{column.name}: {bad.head(3).tolist()}"
    assert not frame.duplicated(list(TABLES[name].key)).any(), f"{name}: duplicate keys"


def test_tables_are_internally_consistent(tables: dict[str, pd.DataFrame]) -> None:
    followers = tables["followers"]
    assert set(followers["channel"]) == set(NETWORKS)
    for _, group in followers.groupby("channel"):
        change = group["followers"].diff().iloc[1:]
        assert (change == (group["gained"] - group["lost"]).iloc[1:]).all()
    x_size = followers.loc[followers["channel"] == "x", "followers"]
    assert 2_400 < x_size.iloc[0] < x_size.iloc[-1] < 2_800  # ~2,500, slow growth
    shares = tables["audience"].groupby(["channel", "dimension"])["share"].sum()
    assert np.allclose(shares, 1.0, atol=1e-9)
    assert set(tables["audience"]["channel"]) == set(NETWORKS)
    care = tables["care"]
    answered = care["answered_at"].notna()
    assert (
        pd.to_datetime(care.loc[answered, "answered_at"]) > pd.to_datetime(care.loc[answered, "received_at"])
    ).all()
    assert not care.loc[~answered, "resolved"].any()
    assert 0.05 < 1 - answered.mean() < 0.11
    assert (tables["leads"]["sqls"] <= tables["leads"]["leads"]).all()
    assert set(tables["leads"]["channel"]) == set(tables["spend"]["channel"]) == set(NETWORKS)
    assert (tables["spend"].loc[tables["spend"]["channel"] == "x", "amount"] == 0).all()  # no X ads budget


def test_competitors_follow_the_brief(tables: dict[str, pd.DataFrame]) -> None:
    competitors = tables["competitors"]
    last = competitors[competitors["date"] == competitors["date"].max()]
    assert last.loc[last["followers"].idxmax(), "brand"] == "Maison Argile"
    brand_ig = tables["followers"].query("channel == 'instagram'")["followers"].iloc[-1]
    assert (last["followers"] < brand_ig).any()


# --- the native layouts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "header", "types"),
    [
        ("facebook", FACEBOOK_HEADER, {"Photos", "Videos", "Links", "Text"}),
        ("instagram", INSTAGRAM_HEADER, {"IG image", "IG carousel", "IG reel", "IG story"}),
    ],
)
def test_meta_exports_follow_the_layout(channel: str, header: str, types: set[str]) -> None:
    files = meta_files(channel)
    periods = [META_FILE.fullmatch(p.name).groups() for p in files]
    assert periods == [("Nov-01-2025", "May-31-2026"), ("Apr-01-2026", "Oct-31-2026")]
    for path, (first, last) in zip(files, periods, strict=True):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
        assert raw.decode("utf-8-sig").split("\n", 1)[0] == header
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        published = pd.to_datetime(frame["Publish time"], format="%m/%d/%Y %H:%M")
        assert published.dt.normalize().between(pd.Timestamp(first), pd.Timestamp(last)).all()
        assert (frame["Date"] == "Lifetime").all() and set(frame["Post type"]) == types
        assert frame["Post ID"].str.fullmatch(r"\d{15,18}").all()
        assert (frame["Reach"].astype(int) <= frame["Views"].astype(int)).all()
        if channel == "facebook":
            video = frame.loc[frame["Post type"] == "Videos", "Permalink"]
            assert video.str.contains("/reel/").any() and video.str.contains("/videos/").any()
            assert video.str.contains(r"/reel/|/videos/").all()
            parts = frame[["Reactions", "Comments", "Shares"]].astype(int).sum(axis=1)
            assert (parts == frame["Reactions, Comments and Shares"].astype(int)).all()


@pytest.mark.parametrize("channel", ["facebook", "instagram"])
def test_meta_exports_overlap_and_the_newest_wins(channel: str, import_result: imports.ImportResult) -> None:
    older, newer = (
        pd.read_csv(p, encoding="utf-8-sig", dtype={"Post ID": str}).set_index("Post ID")
        for p in meta_files(channel)
    )
    both = older.index.intersection(newer.index)
    months = pd.to_datetime(newer.loc[both, "Publish time"], format="%m/%d/%Y %H:%M").dt.month
    assert len(both) > 20 and set(months) == {4, 5}
    grown = newer.loc[both, ["Views", "Reach"]] - older.loc[both, ["Views", "Reach"]]
    assert (grown >= 0).all().all() and (grown > 0).any().all()
    require(channel)
    posts = import_result.tables["posts"].set_index("post_id")
    assert (posts.loc[both, "reach"].astype(int) == newer.loc[both, "Reach"]).all()


def test_x_exports_follow_the_layout() -> None:
    files = only(X_FILE)
    months = [X_FILE.fullmatch(p.name).groups() for p in files]
    assert [m[0] for m in months] == [f"{m:%Y%m%d}" for m in demo.MONTHS]
    assert all(b == f"{pd.Timestamp(a) + pd.offsets.MonthBegin(1):%Y%m%d}" for a, b in months)
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.split("\n", 1)[0] == X_HEADER
        rows = list(csv.reader(io.StringIO(text)))
        again = io.StringIO()
        csv.writer(again, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
        assert again.getvalue() == text, "every field is quoted"
        frame = pd.DataFrame(rows[1:], columns=rows[0])
        time = pd.to_datetime(frame["time"], format="%Y-%m-%d %H:%M +0000", utc=True)
        snowflake_ms = frame["Tweet id"].map(lambda v: (int(v) >> 22) + demo.X_EPOCH_MS)
        offset = snowflake_ms - (time - pd.Timestamp("1970-01-01", tz="UTC")) // pd.Timedelta(milliseconds=1)
        assert offset.between(0, 59_999).all()
        assert (
            frame["Tweet permalink"] == "https://twitter.com/atelierseve/status/" + frame["Tweet id"]
        ).all()
        assert (
            frame["impressions"].str.fullmatch(r"\d+\.0").all()
            and frame["app opens"].str.fullmatch(r"\d+").all()
        )
        assert (frame[[c for c in rows[0] if c.startswith("promoted")]] == "-").all().all()
        organic = frame[list(X_ORGANIC[7:])].astype(float).drop(columns="media views").sum(axis=1)
        assert (organic == frame["engagements"].astype(float)).all()
        rate_ = frame["engagements"].astype(float) / frame["impressions"].astype(float)
        assert np.allclose(frame["engagement rate"].astype(float), rate_)


def test_linkedin_export_follows_the_layout() -> None:
    (path,) = only(LINKEDIN_FILE)
    assert load_workbook(path, read_only=True).sheetnames == ["Metrics", "All posts"]
    rows = sheet_rows(path, "All posts")
    assert [c for c in rows[0] if c is not None] != [] and rows[0][1:] == (None,) * (len(rows[0]) - 1)
    assert list(rows[1]) == LINKEDIN_HEADER
    frame = pd.DataFrame(rows[2:], columns=LINKEDIN_HEADER)
    urn = frame["Post link"].str.extract(r"^https://www\.linkedin\.com/feed/update/urn:li:activity:(\d+)$")[0]
    assert urn.notna().all()
    published = pd.to_datetime(urn.map(lambda v: int(v) >> 22), unit="ms", utc=True).dt.tz_convert(TZ)
    assert (published.dt.strftime("%m/%d/%Y") == frame["Created date"]).all()
    assert set(frame["Post type"]) == {"Organic", "Sponsored"}
    assert np.allclose(frame["Click through rate (CTR)"], frame["Clicks"] / frame["Impressions"])
    exported = pd.Timestamp(int(LINKEDIN_FILE.fullmatch(path.name).group(1)), unit="ms", tz="UTC")
    core = zipfile.ZipFile(path).read("docProps/core.xml").decode()
    assert core.count(f"{exported:%Y-%m-%dT%H:%M:%S}Z") == 2, "created and modified are the export's time"
    daily = sheet_rows(path, "Metrics")
    assert daily[1][:4] == ("Date", "Impressions (organic)", "Impressions (sponsored)", "Impressions (total)")
    assert len(daily) == 2 + len(demo.DAYS)


def test_brandwatch_export_follows_the_layout() -> None:
    (path,) = [p for p in EXPORTS_DIR.iterdir() if p.name.startswith("brandwatch")]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\n")
    assert [line.split(",")[0] for line in lines[:5]] == [
        '"Report:"',
        '"Brand:"',
        '"From:"',
        '"To:"',
        '"Label:"',
    ]
    assert (
        lines[0] == '"Report:","Bulk Mentions Download"' and lines[5] == "" and lines[6] == BRANDWATCH_HEADER
    )
    frame = pd.read_csv(path, encoding="utf-8-sig", skiprows=6, dtype=str, keep_default_na=False)
    assert frame["Date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z").all()
    assert set(frame["Page Type"]) == {
        "twitter",
        "instagram",
        "facebook",
        "tiktok",
        "news",
        "blogs",
        "forums",
    }
    assert set(frame["Query Name"]) == set(demo.BRAND_SHARES)
    assert frame.groupby("Query Name")["Query Id"].nunique().eq(1).all()
    assert not frame["Resource Id"].duplicated().any()
    followed = frame["X Followers"].ne("") | frame["Instagram Followers"].ne("")
    assert (followed == frame["Page Type"].isin(["twitter", "instagram"])).all()


# --- the importers read back what the generator made --------------------------------------------


@pytest.mark.parametrize("channel", NETWORKS)
def test_importers_read_back_the_generator_posts(
    channel: str, import_result: imports.ImportResult, world: demo.World
) -> None:
    require(channel)
    got = import_result.tables["posts"].query("channel == @channel").copy()
    got.index = got["post_id"].str.extract(r"(\d+)/?$")[0]  # the platform's number, bare or in a URN
    got = got.sort_index()
    want = demo.canonical_posts_of(world.posts).query("channel == @channel").set_index("post_id").sort_index()
    assert list(got.index) == list(want.index)
    assert (got["published_at"].dt.floor("min") == want["published_at"].dt.floor("min")).all()
    assert (got["format"] == want["format"]).all()
    for column in ("impressions", "reach"):
        assert got[column].isna().equals(want[column].isna()), f"{column}: known for other posts"
        assert got[column].sum() == want[column].sum(), column
    assert interactions(got).sum() == interactions(want).sum()
    sources = set(got["source"])
    assert import_result.flags[import_result.flags["file"].isin(sources)].empty


def test_importers_read_back_the_generator_mentions(
    import_result: imports.ImportResult, world: demo.World
) -> None:
    require("brandwatch")
    got, want = import_result.tables["mentions"], demo.canonical_mentions_of(world.mentions)
    assert sorted(got["mention_id"]) == sorted(want["mention_id"])
    for column in ("brand", "channel", "sentiment"):
        assert got[column].value_counts().to_dict() == want[column].value_counts().to_dict(), column
    for column in ("reach", "engagement"):
        assert got[column].sum() == want[column].sum(), column
    on_x = got["channel"] == "x"  # X Followers; Instagram Followers is checked by the generator's tests
    assert (
        got.loc[on_x, "author_followers"].sum() == want.loc[want["channel"] == "x", "author_followers"].sum()
    )


# --- planted effects ----------------------------------------------------------------------------


def test_thursday_evening_is_the_best_slot(data: Data) -> None:
    data.need(*NETWORKS)
    cells = heatmap(data.posts, "impressions")  # the one denominator every network reports
    assert cells.index[0] == SLOT, cells.head()
    assert slot_margin(data.posts, "impressions") > 1.1
    assert in_slot(data.posts).sum() >= 30


def test_thursday_evening_is_the_best_slot_on_meta(data: Data) -> None:
    data.need("facebook", "instagram")
    cells = heatmap(meta(data.posts), "reach")
    assert cells.index[0] == SLOT, cells.head()
    assert slot_margin(meta(data.posts), "reach") > 1.15


@pytest.mark.parametrize("channel", NETWORKS)
def test_the_slot_lifts_every_network(data: Data, channel: str) -> None:
    data.need(channel)
    own = data.posts[data.posts["channel"] == channel]
    slot = in_slot(own)
    assert slot.sum() >= 5
    assert rate(own[slot], DENOMINATOR[channel]) > 1.4 * rate(own[~slot], DENOMINATOR[channel])


def test_instagram_reels_beat_other_instagram_formats(data: Data) -> None:
    data.need("instagram")
    assert reels_lift(data.posts) > 1.8
    ig = data.posts[data.posts["channel"] == "instagram"]
    by_format = interactions(ig).groupby(ig["format"]).sum() / ig.groupby("format")["reach"].sum()
    assert by_format.idxmax() == "reel"


def test_facebook_engagement_declines_in_the_last_quarter(data: Data) -> None:
    data.need("facebook", "instagram")
    posts = data.posts
    assert last_quarter_ratio(posts, "facebook") < 0.8
    assert last_quarter_ratio(posts, "instagram") > 0.95
    facebook = posts[posts["channel"] == "facebook"]
    month = local_times(facebook).dt.strftime("%Y-%m")
    october, before = facebook[month == "2026-10"], facebook[month < "2026-08"]
    assert rate(october) < 0.7 * rate(before)


@pytest.mark.parametrize("channel", ["linkedin", "x"])
def test_linkedin_and_x_stay_level(data: Data, channel: str) -> None:
    data.need(channel)
    assert last_quarter_ratio(data.posts, channel) > 0.9


def test_x_engages_about_two_percent_of_impressions(data: Data, world: demo.World) -> None:
    data.need("x")
    x = data.posts[data.posts["channel"] == "x"]
    assert 140 <= len(x) <= 170  # ~3 a week
    assert 0.015 < rate(x[~in_slot(x)], "impressions") < 0.025
    drawn = world.posts.loc[world.posts["channel"] == "x", ["post_id", "format"]].astype(str)
    assert set(drawn["format"]) == {"text", "photo", "video", "link"}
    # X's own names, read from the media and link columns: the drawn format of nearly every post
    assert set(x["format"]) == {"text", "photo", "video", "link"}
    read = x.assign(post_id=x["post_id"].astype(str)).merge(drawn, on="post_id", suffixes=("", "_drawn"))
    assert len(read) == len(x) and (read["format"] == read["format_drawn"]).mean() > 0.95


def test_maison_argile_leads_share_of_voice(data: Data) -> None:
    data.need("brandwatch")
    shares = share_of_voice(data.mentions)
    assert shares.index[0] == "Maison Argile"
    assert 0.35 < shares["Maison Argile"] < 0.45
    assert 0.25 <= shares[demo.BRAND] <= 0.30
    assert 6_500 <= len(data.mentions) <= 7_500


def test_listening_has_every_influencer_tier(data: Data) -> None:
    data.need("brandwatch")
    mentions = data.mentions
    authors = mentions.drop_duplicates(["channel", "author"])["author_followers"].dropna().astype(float)
    tiers = pd.cut(authors, [0, 1_000, 10_000, 100_000, np.inf], right=False)
    assert (tiers.value_counts() >= 3).all()
    brand = mentions[mentions["brand"] == demo.BRAND]
    mix = brand["sentiment"].value_counts(normalize=True)
    assert mix["positive"] > mix["neutral"] > mix["negative"] > 0.1
    assert brand["emotion"].notna().all()


# --- planted for the influencer, content-theme and competitors-over-time analyses ----------------

#: The persona Clara's keywords in the content's language (the brief's interests are in English).
CLARA_WORDS = r"zéro déchet|zero dechet|zerodechet|vrac|recharge|consign"
#: A caption about refills, as an analyst would filter it.
REFILL_WORDS = r"recharge|#vrac|\bvrac\b|consign"


def author_mentions(mentions: pd.DataFrame, handle: str) -> pd.DataFrame:
    return mentions[mentions["author"] == handle]


def engagement_per_follower(mentions: pd.DataFrame) -> float:
    known = mentions[mentions["author_followers"].notna()]
    return float(known["engagement"].astype(float).sum() / known["author_followers"].astype(float).sum())


def refill_lift(posts: pd.DataFrame, channel: str) -> float:
    """Engagement rate of a network's captions about refills over its other captioned posts'."""
    own = posts[(posts["channel"] == channel) & posts["text"].fillna("").ne("")]
    refill = own["text"].str.contains(REFILL_WORDS, case=False, regex=True)
    return rate(own[refill], DENOMINATOR[channel]) / rate(own[~refill], DENOMINATOR[channel])


def monthly_share(mentions: pd.DataFrame, brand: str) -> pd.Series:
    month = local_times(mentions).dt.strftime("%Y-%m")
    return pd.crosstab(month, mentions["brand"], normalize="index")[brand]


def late(index: pd.Index) -> np.ndarray:
    return np.asarray(index >= f"{demo.CHALLENGER_FROM:%Y-%m}")


def test_the_niche_influencer_fits_clara_better_than_the_macro_author(data: Data) -> None:
    data.need("brandwatch")
    tiers = load_brief(DEMO_DIR / "brief.yaml").influencer_tiers
    lea = author_mentions(data.mentions, demo.INFLUENCER.handle)
    assert 20 <= len(lea) <= 30 and set(lea["channel"]) == {"instagram"} and set(lea["brand"]) == {demo.BRAND}
    followers = lea["author_followers"].astype(float)
    assert tiers.micro <= followers.max() < tiers.macro and 15_000 < followers.median() < 21_000
    assert 1 < followers.max() / followers.min() < 1.1, "a listening tool reports a count that moves a little"
    assert lea["sentiment"].eq("positive").mean() >= 0.7
    assert lea["text"].str.contains(CLARA_WORDS, case=False).mean() >= 0.9
    maxime = author_mentions(data.mentions, demo.OFF_TOPIC.handle)
    assert len(maxime) == 3 and set(maxime["sentiment"]) == {"neutral"}
    assert maxime["author_followers"].astype(float).min() >= tiers.macro
    assert not maxime["text"].str.contains(CLARA_WORDS, case=False).any()
    others = data.mentions[
        data.mentions["channel"].eq("instagram") & ~data.mentions["author"].isin([demo.INFLUENCER.handle])
    ]
    assert engagement_per_follower(lea) > 2 * engagement_per_follower(others)
    assert engagement_per_follower(lea) > 10 * engagement_per_follower(maxime)


@pytest.mark.parametrize("channel", ["facebook", "instagram"])
def test_captions_about_refills_engage_more_on_meta(data: Data, channel: str) -> None:
    data.need(channel)
    own = data.posts[(data.posts["channel"] == channel) & data.posts["text"].fillna("").ne("")]
    share = own["text"].str.contains(REFILL_WORDS, case=False).mean()
    assert 0.12 < share < 0.25
    assert refill_lift(data.posts, channel) > 1.3


@pytest.mark.parametrize("channel", ["linkedin", "x"])
def test_captions_about_refills_engage_as_usual_elsewhere(data: Data, channel: str) -> None:
    data.need(channel)
    assert 0.8 < refill_lift(data.posts, channel) < 1.2


def test_herbier_moderne_share_of_voice_doubles_in_the_last_quarter(data: Data) -> None:
    data.need("brandwatch")
    share = monthly_share(data.mentions, demo.CHALLENGER)
    assert len(share) == 12
    assert 0.12 < share[~late(share.index)].mean() < 0.18
    assert share[late(share.index)].min() > 0.24 and share[late(share.index)].mean() > 0.27
    counts = local_times(data.mentions[data.mentions["brand"] == demo.CHALLENGER]).dt.strftime("%Y-%m")
    per_month = counts.value_counts().sort_index()
    assert per_month[late(per_month.index)].mean() > 2 * per_month[~late(per_month.index)].mean()


def test_herbier_moderne_instagram_grows_faster_in_the_last_quarter(tables: dict[str, pd.DataFrame]) -> None:
    assert challenger_growth_ratio(tables["competitors"]) > 2.5


def challenger_growth_ratio(competitors: pd.DataFrame) -> float:
    """Mean monthly follower growth of Herbier Moderne on Instagram from August over before."""
    rows = competitors[(competitors["brand"] == demo.CHALLENGER) & (competitors["channel"] == "instagram")]
    followers = rows.set_index(pd.to_datetime(rows["date"]).dt.strftime("%Y-%m"))["followers"].astype(float)
    growth = followers.pct_change().dropna()
    return float(growth[late(growth.index)].mean() / growth[~late(growth.index)].mean())


def test_campaigns_table_holds_two_influencer_campaigns(data: Data) -> None:
    raw = (TABLES_DIR / "campaigns.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    frame = pd.read_csv(TABLES_DIR / "campaigns.csv", dtype={"start": str, "end": str})
    assert list(frame.columns) == [
        "campaign", "influencer", "network", "start", "end", "cost", "posts", "reach", "interactions",
        "clicks", "leads", "revenue",
    ]  # fmt: skip
    assert len(frame) == 2 and not frame.isna().any().any()
    assert frame["start"].str.fullmatch(PATTERNS["date"]).all() and (frame["start"] <= frame["end"]).all()
    frame = frame.set_index("campaign")
    lea, noel = frame.loc["Recharge printemps"], frame.loc["Coffret Noël"]
    assert lea["influencer"] == demo.INFLUENCER.handle and (lea["cost"], lea["posts"]) == (1_200, 4)
    assert (noel["cost"], noel["posts"]) == (6_500, 2)
    assert lea["cost"] / lea["leads"] < 0.5 * noel["cost"] / noel["leads"], "cost per lead"
    assert (lea["revenue"] - lea["cost"]) / lea["cost"] > 0 > (noel["revenue"] - noel["cost"]) / noel["cost"]
    if data.via == "importers" and registered("brandwatch"):
        followers = data.mentions.groupby("author")["author_followers"].max()
        assert followers[noel["influencer"]] >= 100_000 > followers[lea["influencer"]] >= 10_000


def test_effect_checks_fail_without_the_effects(control: Data) -> None:
    posts = control.posts
    if control.has("facebook", "instagram"):
        cells = heatmap(meta(posts), "reach")
        assert cells.index[0] != SLOT or slot_margin(meta(posts), "reach") < 1.15
        assert reels_lift(posts) < 1.3
        assert last_quarter_ratio(posts, "facebook") > 0.85
    if control.has(*NETWORKS):
        cells = heatmap(posts, "impressions")
        assert cells.index[0] != SLOT or slot_margin(posts, "impressions") < 1.15
    for channel in NETWORKS:
        if control.has(channel):
            own = posts[posts["channel"] == channel]
            slot = in_slot(own)
            assert rate(own[slot], DENOMINATOR[channel]) < 1.4 * rate(own[~slot], DENOMINATOR[channel])
    if control.has("brandwatch"):
        assert share_of_voice(control.mentions).get("Maison Argile", 0) < 0.35
        assert author_mentions(control.mentions, demo.INFLUENCER.handle).empty
        assert author_mentions(control.mentions, demo.OFF_TOPIC.handle).empty
        share = monthly_share(control.mentions, demo.CHALLENGER)
        assert share[late(share.index)].mean() < 1.3 * share[~late(share.index)].mean()
    for channel in ("facebook", "instagram"):
        if control.has(channel):
            assert refill_lift(posts, channel) < 1.2
    assert challenger_growth_ratio(demo.build(effects=demo.NO_EFFECTS).tables["competitors"]) < 1.5
