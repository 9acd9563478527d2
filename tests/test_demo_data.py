"""The demo client's committed tables: reproducible, canonical, and carrying the planted effects.

The effect checks use plain pandas on the raw CSVs, the way an analyst would; each one is also
run on a control data set generated without the effects (``demo.NO_EFFECTS``) and must fail
there, so removing an effect from the generator breaks these tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import demo
from helpers.schemas import TABLES

TABLES_DIR = Path(__file__).resolve().parents[1] / "data" / "clients" / "demo" / "tables"
TZ = "Europe/Paris"
SLOT = (3, 18)  # Thursday, 18:00-18:59 local time
PATTERNS = {
    "datetime": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z",
    "date": r"\d{4}-\d{2}-\d{2}",
    "bool": r"true|false",
    "int": r"\d+",
    "float": r"\d+(\.\d+)?",
}


def load(folder: Path) -> dict[str, pd.DataFrame]:
    """Read the eight tables as an analyst would (plain ``read_csv``)."""
    return {name: pd.read_csv(folder / spec.filename) for name, spec in TABLES.items()}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return load(TABLES_DIR)


@pytest.fixture(scope="module")
def control(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The same seed with every planted effect switched off."""
    folder = tmp_path_factory.mktemp("control")
    demo.generate(folder, effects=demo.NO_EFFECTS)
    return load(folder)


# --- the measures an analyst would compute ------------------------------------------------------


def interactions(posts: pd.DataFrame) -> pd.Series:
    return posts[["reactions", "comments", "shares", "saves"]].fillna(0).sum(axis=1)


def local_times(posts: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(posts["published_at"], utc=True).dt.tz_convert(TZ)


def rate(posts: pd.DataFrame) -> float:
    """Engagement rate by reach, ratio of sums."""
    return interactions(posts).sum() / posts["reach"].sum()


def heatmap(posts: pd.DataFrame, min_posts: int = 8) -> pd.DataFrame:
    """Engagement rate per weekday x local hour, cells with at least ``min_posts``, best first."""
    local = local_times(posts)
    cells = pd.DataFrame(
        {
            "weekday": local.dt.day_of_week,
            "hour": local.dt.hour,
            "interactions": interactions(posts),
            "reach": posts["reach"],
        }
    )
    cells = cells.groupby(["weekday", "hour"]).agg(
        posts=("reach", "size"), interactions=("interactions", "sum"), reach=("reach", "sum")
    )
    cells["rate"] = cells["interactions"] / cells["reach"]
    return cells[cells["posts"] >= min_posts].sort_values("rate", ascending=False)


def slot_margin(posts: pd.DataFrame) -> float:
    """Rate of the planted slot over the best other cell (> 1 when the slot is first)."""
    cells = heatmap(posts)
    return cells.loc[SLOT, "rate"] / cells.drop(index=SLOT)["rate"].max()


def reels_lift(posts: pd.DataFrame) -> float:
    """Instagram reels' engagement rate over the other Instagram formats'."""
    ig = posts[posts["channel"] == "instagram"]
    return rate(ig[ig["format"] == "reel"]) / rate(ig[ig["format"] != "reel"])


def last_quarter_ratio(posts: pd.DataFrame, channel: str) -> float:
    """Engagement rate from 2026-08-01 over the rate before, for one channel."""
    own = posts[posts["channel"] == channel]
    late = local_times(own) >= pd.Timestamp("2026-08-01", tz=TZ)
    return rate(own[late]) / rate(own[~late])


def share_of_voice(mentions: pd.DataFrame) -> pd.Series:
    return mentions["brand"].value_counts(normalize=True)


# --- reproducibility and shape ------------------------------------------------------------------


def test_regenerating_gives_the_committed_files(tmp_path: Path) -> None:
    counts = demo.generate(tmp_path)
    assert sorted(counts) == sorted(TABLES)
    for name, spec in TABLES.items():
        fresh, committed = tmp_path / spec.filename, TABLES_DIR / spec.filename
        assert fresh.read_bytes() == committed.read_bytes(), f"{name}.csv differs: regenerate it"
        assert counts[name] == len(pd.read_csv(committed))


@pytest.mark.parametrize("name", list(TABLES))
def test_columns_follow_the_schema(tables: dict[str, pd.DataFrame], name: str) -> None:
    assert list(tables[name].columns) == TABLES[name].column_names


@pytest.mark.parametrize("name", list(TABLES))
def test_values_follow_the_schema(name: str) -> None:
    raw = (TABLES_DIR / TABLES[name].filename).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    frame = pd.read_csv(TABLES_DIR / TABLES[name].filename, dtype=str, keep_default_na=False)
    assert len(frame) > 0
    for column in TABLES[name].columns:
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
    posts, followers = tables["posts"], tables["followers"]
    assert (posts["impressions"] >= posts["reach"]).all()
    assert posts.loc[posts["channel"] != "instagram", "saves"].isna().all()
    assert posts.loc[posts["format"].isin(["video", "reel"]), "video_views"].notna().all()
    for _, group in followers.groupby("channel"):
        change = group["followers"].diff().iloc[1:]
        assert (change == (group["gained"] - group["lost"]).iloc[1:]).all()
    shares = tables["audience"].groupby(["channel", "dimension"])["share"].sum()
    assert np.allclose(shares, 1.0, atol=1e-9)
    care = tables["care"]
    answered = care["answered_at"].notna()
    assert (
        pd.to_datetime(care.loc[answered, "answered_at"]) > pd.to_datetime(care.loc[answered, "received_at"])
    ).all()
    assert not care.loc[~answered, "resolved"].any()
    assert 0.05 < 1 - answered.mean() < 0.11
    assert (tables["leads"]["sqls"] <= tables["leads"]["leads"]).all()


def test_listening_has_every_influencer_tier(tables: dict[str, pd.DataFrame]) -> None:
    authors = tables["mentions"].drop_duplicates("author")["author_followers"].dropna()
    tiers = pd.cut(authors, [0, 1_000, 10_000, 100_000, np.inf], right=False)
    assert (tiers.value_counts() >= 3).all()
    brand = tables["mentions"][tables["mentions"]["brand"] == demo.BRAND]
    mix = brand["sentiment"].value_counts(normalize=True)
    assert mix["positive"] > mix["neutral"] > mix["negative"] > 0.1


def test_competitors_follow_the_brief(tables: dict[str, pd.DataFrame]) -> None:
    competitors = tables["competitors"]
    pairs = set(zip(competitors["brand"], competitors["channel"], strict=True))
    assert pairs == set(demo.COMPETITORS)
    last = competitors[competitors["date"] == competitors["date"].max()]
    assert last.loc[last["followers"].idxmax(), "brand"] == "Maison Argile"
    brand_ig = tables["followers"].query("channel == 'instagram'")["followers"].iloc[-1]
    assert (last["followers"] < brand_ig).any()


# --- planted effects ----------------------------------------------------------------------------


def test_thursday_evening_is_the_best_slot(tables: dict[str, pd.DataFrame]) -> None:
    posts = tables["posts"]
    cells = heatmap(posts)
    assert cells.index[0] == SLOT, cells.head()
    assert slot_margin(posts) > 1.15
    local = local_times(posts)
    in_slot = (local.dt.day_of_week == SLOT[0]) & (local.dt.hour == SLOT[1])
    assert in_slot.sum() >= 15
    for channel in demo.PROFILES:
        own = posts["channel"] == channel
        assert (in_slot & own).sum() >= 5
        assert rate(posts[in_slot & own]) > 1.4 * rate(posts[~in_slot & own]), channel


def test_instagram_reels_beat_other_instagram_formats(tables: dict[str, pd.DataFrame]) -> None:
    assert reels_lift(tables["posts"]) > 1.8
    ig = tables["posts"][tables["posts"]["channel"] == "instagram"]
    rates = (
        ig.groupby("format")[["reach"]]
        .sum()
        .join(interactions(ig).groupby(ig["format"]).sum().rename("interactions"))
    )
    assert (rates["interactions"] / rates["reach"]).idxmax() == "reel"


def test_facebook_engagement_declines_in_the_last_quarter(tables: dict[str, pd.DataFrame]) -> None:
    posts = tables["posts"]
    assert last_quarter_ratio(posts, "facebook") < 0.8
    assert last_quarter_ratio(posts, "instagram") > 0.95
    assert last_quarter_ratio(posts, "linkedin") > 0.9
    facebook = posts[posts["channel"] == "facebook"]
    month = local_times(facebook).dt.strftime("%Y-%m")
    october, before = facebook[month == "2026-10"], facebook[month < "2026-08"]
    assert rate(october) < 0.65 * rate(before)


def test_maison_argile_leads_share_of_voice(tables: dict[str, pd.DataFrame]) -> None:
    shares = share_of_voice(tables["mentions"])
    assert shares.index[0] == "Maison Argile"
    assert 0.35 < shares["Maison Argile"] < 0.45
    assert 0.25 <= shares[demo.BRAND] <= 0.30
    assert 6_000 <= len(tables["mentions"]) <= 7_000


def test_effect_checks_fail_without_the_effects(control: dict[str, pd.DataFrame]) -> None:
    posts = control["posts"]
    assert heatmap(posts).index[0] != SLOT or slot_margin(posts) < 1.15
    assert reels_lift(posts) < 1.3
    assert last_quarter_ratio(posts, "facebook") > 0.85
    assert share_of_voice(control["mentions"]).get("Maison Argile", 0) < 0.35
