"""Rates that say what they count: stories and paid posts apart, the platforms' own rates, X's
format names, on small hand-made tables (helpers/kpis/scope.py, helpers/client/imports/formats/x.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import kpis
from helpers.client import imports
from helpers.client.imports.formats import x
from helpers.kpis.registry import RegistryError, load_registry, parse_registry

IMPRESSIONS = kpis.EngagementConvention("impressions")


def posts(*rows: dict) -> pd.DataFrame:
    """A posts table from rows (missing counts unknown)."""
    base = {"channel": "instagram", "format": "photo", "impressions": 1000, "reach": 800}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["published_at"] = pd.Timestamp("2026-03-02 10:00", tz="UTC")
    for col in ("reactions", "comments", "shares", "saves", "clicks", "paid"):
        if col not in frame:
            frame[col] = pd.NA
    frame["paid"] = frame["paid"].astype("boolean")
    return frame


def test_stories_are_left_out_of_the_feed_rate() -> None:
    table = posts(
        {"reactions": 40, "comments": 5, "shares": 3, "saves": 2},  # 50 / 1000
        {"reactions": 25, "comments": 3, "shares": 1, "saves": 1},  # 30 / 1000
        {"format": "story", "reactions": 4, "shares": 1},  # 5 / 1000: no comments or saves
    )
    rated = kpis.rated_posts(table)
    assert list(rated.index) == [0, 1]
    assert IMPRESSIONS.rate(rated) == pytest.approx(0.04)
    assert IMPRESSIONS.rate(table) == pytest.approx(85 / 3000)  # what the rate said with stories
    stories = kpis.story_table(table)
    assert stories.to_dict("records") == [
        {"channel": "instagram", "stories": 1, "reach": 800.0, "impressions": 1000.0,
         "reach_per_story": 800.0, "reactions": 4.0, "shares": 1.0}
    ]  # fmt: skip


def test_a_story_without_reach_has_an_unknown_reach_not_zero() -> None:
    table = posts({"format": "story", "reach": None, "reactions": 2})
    row = kpis.story_table(table).iloc[0]
    assert math.isnan(row["reach"]) and math.isnan(row["reach_per_story"])


def test_paid_posts_are_apart_and_the_headline_is_organic() -> None:
    table = posts(
        {"channel": "linkedin", "reactions": 40, "paid": False},
        {"channel": "linkedin", "reactions": 20, "paid": False},
        {"channel": "linkedin", "reactions": 90, "paid": True},  # sponsored: apart
        {"channel": "facebook", "reactions": 30, "paid": None},  # the export does not say: kept
    )
    rated = kpis.rated_posts(table)
    assert list(rated.index) == [0, 1, 3]
    split = kpis.paid_split(table, IMPRESSIONS)
    assert split.to_dict("records") == [
        {"channel": "linkedin", "organic_posts": 2, "organic_rate": pytest.approx(0.03),
         "paid_posts": 1, "paid_rate": pytest.approx(0.09)}
    ]  # fmt: skip
    cover = kpis.paid_coverage(table, ["linkedin", "facebook", "x"]).set_index("channel")
    assert cover.loc["linkedin"].tolist() == [3, 0, 1, 2, 0]  # posts, stories, paid, organic, unflagged
    assert cover.loc["facebook", "unflagged"] == 1  # "the rate may include paid posts"
    assert cover.loc["x"].tolist() == [0, 0, 0, 0, 0]


def test_no_paid_column_keeps_every_feed_post_and_splits_nothing() -> None:
    table = posts({"reactions": 10}, {"reactions": 20}).drop(columns="paid")
    assert len(kpis.rated_posts(table)) == 2
    assert kpis.paid_split(table, IMPRESSIONS).empty
    assert kpis.paid_coverage(table)["unflagged"].tolist() == [2]


def test_the_posts_table_needs_its_format() -> None:
    with pytest.raises(ValueError, match="lacks format"):
        kpis.rated_posts(pd.DataFrame({"channel": ["x"]}))


def test_the_audit_rates_feed_organic_posts_but_counts_every_post() -> None:
    from helpers.method.observation import channel_audit

    class Data:  # the slice of ClientData the audit reads
        brief = type("B", (), {"channels": ["instagram"], "kpi": IMPRESSIONS})()
        tables = {
            "posts": posts({"reactions": 50}, {"format": "story", "reactions": 5}),
            "followers": pd.DataFrame(columns=["date", "channel", "account", "followers"]),
            "care": pd.DataFrame(),
        }

    Data.brief.kpi = type("K", (), {"engagement_rate": "impressions", "aggregation": "ratio_of_sums"})()
    audit = channel_audit(pd.Timestamp("2026-03-01").date(), pd.Timestamp("2026-03-31").date(), Data)
    assert audit.loc[0, "posts"] == 2
    assert audit.loc[0, "engagement_rate"] == pytest.approx(0.05)


def test_what_the_rate_counts_comes_from_the_registry_and_the_data() -> None:
    table = posts(
        {"channel": "instagram", "reactions": 1, "comments": 1, "shares": 1, "saves": 1},
        {"channel": "facebook", "reactions": 1, "comments": 1, "shares": 1},  # no saves exported
    )
    assert kpis.counted_interactions(table, "instagram", "en") == ["likes", "comments", "shares", "saves"]
    assert kpis.counted_interactions(table, "facebook", "en") == [
        "reactions (likes, loves…)",
        "comments",
        "shares",
    ]
    assert kpis.counted_interactions(table, "facebook", "fr")[1] == "commentaires"
    assert kpis.counted_interactions(table, "x", "en") == []  # no posts: nothing counted
    with pytest.raises(KeyError, match="unknown network"):
        kpis.counted_interactions(table, "myspace", "en")


def test_x_native_rate_is_engagements_over_impressions() -> None:
    table = posts(
        {
            "channel": "x",
            "format": "text",
            "impressions": 1000,
            "reach": None,
            "reactions": 10,
            "engagements": 60,
        },
        {
            "channel": "x",
            "format": "photo",
            "impressions": 3000,
            "reach": None,
            "reactions": 30,
            "engagements": 100,
        },
    )
    native = kpis.native_rates(table, IMPRESSIONS, ["x", "linkedin"]).set_index("channel")
    assert native.loc["x", "engagement_rate"] == pytest.approx(40 / 4000)  # the brief's convention
    assert native.loc["x", "native_rate"] == pytest.approx(160 / 4000)  # X's own dashboard figure
    assert native.loc["linkedin", "posts"] == 0 and math.isnan(native.loc["linkedin", "native_rate"])


def test_a_native_rate_is_unknown_when_the_export_lacks_a_column() -> None:
    table = posts({"channel": "x", "format": "text", "reach": None, "reactions": 10})  # no engagements
    assert math.isnan(kpis.native_rates(table, IMPRESSIONS, ["x"]).loc[0, "native_rate"])
    ig = posts({"reactions": 30, "comments": 5, "shares": 5, "saves": 10})  # 50 / reach 800
    assert kpis.native_rates(ig, IMPRESSIONS, ["instagram"]).loc[0, "native_rate"] == pytest.approx(50 / 800)


def test_the_registry_defines_the_native_rates_and_refuses_unknown_columns() -> None:
    registry = load_registry()
    assert registry.native_rates["x"].counts == ("engagements",)
    assert registry.native_rates["linkedin"].denominator == "impressions"
    raw = yaml_of_registry()
    raw["native_rates"]["x"]["counts"] = ["retweets"]
    with pytest.raises(RegistryError, match="native rate of 'x'"):
        parse_registry(raw)


def yaml_of_registry() -> dict:
    import yaml

    from helpers.kpis.registry import REGISTRY_FILE

    return yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))


def test_interactions_per_1000_says_it_is_per_post() -> None:
    record = kpis.kpi("interactions_per_1000")
    assert record.name("en") == "Interactions per post per 1,000 followers"
    assert record.name("fr") == "Interactions par publication pour 1 000 abonnés"
    assert "per post" in record.definition("en") and "par publication" in record.definition("fr")


@pytest.mark.parametrize(
    ("views", "opened", "url_clicks", "text", "expected"),
    [
        (0, 0, 0, "Merci à tous !", "text"),
        (0, 0, 4, "Inscriptions ouvertes", "link"),  # URL clicks: a link was in the post
        (0, 0, 0, "Le programme https://t.co/Ab3xQ9LmZk", "link"),
        (38, 38, 0, "Le stand 📸 https://t.co/pH0t0Xy12a", "photo"),  # an image is viewed when opened
        (846, 46, 0, "Nos vœux https://t.co/Xm4sV1d3o0", "video"),  # a video plays by itself
        (None, None, 0, "Sans colonnes média", "text"),  # the current export has no media columns
    ],
)
def test_x_formats_have_x_names(views, opened, url_clicks, text, expected) -> None:
    got = x.post_format(
        pd.Series([views], dtype="Float64"),
        pd.Series([opened], dtype="Float64"),
        pd.Series([url_clicks], dtype="Float64"),
        pd.Series([text]),
    )
    assert got.tolist() == [expected]


def test_x_format_mapping_on_a_small_legacy_export(tmp_path) -> None:
    header = (
        '"Tweet id","Tweet permalink","Tweet text","time","impressions","engagements","engagement rate",'
        '"retweets","replies","likes","user profile clicks","url clicks","hashtag clicks","detail expands",'
        '"permalink clicks","app opens","app installs","follows","email tweet","dial phone","media views",'
        '"media engagements"'
    )
    rows = [
        ("1994826190746814355", "Bonjour à tous", "0", "0", "0"),
        ("1994807064893365300", "Le programme https://t.co/q2F4jAblBL", "10", "0", "0"),
        ("1994807064893365301", "Le stand https://t.co/q2F4jAblBM", "0", "40", "40"),
        ("1994807064893365302", "La vidéo https://t.co/q2F4jAblBN", "0", "500", "20"),
    ]
    lines = [header] + [
        f'"{i}","https://twitter.com/acme/status/{i}","{text}","2025-11-29 17:50 +0000","500.0","20.0",'
        f'"0.04","1.0","1.0","5.0","0.0","{url}.0","0.0","0.0","0.0","0","0","0","0","0","{views}","{opened}"'
        for i, text, url, views, opened in rows
    ]
    path = tmp_path / "tweet_activity_metrics_acme_20251101_20251201_fr.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = imports.import_paths([path], tz="Europe/Paris").tables["posts"].set_index("post_id")
    assert table["format"].to_dict() == {
        "1994826190746814355": "text",
        "1994807064893365300": "link",
        "1994807064893365301": "photo",
        "1994807064893365302": "video",
    }


def test_the_exports_give_what_the_native_rates_need() -> None:
    """X's legacy export keeps its own ``engagements``, LinkedIn's its ``Follows``: both platforms'
    own rates are then known (they were unknown before these columns were read)."""
    from pathlib import Path

    exports = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
    legacy = exports / "x" / "tweet_activity_metrics_AcmeParis_20161201_20170101_en.csv"
    tweets = imports.import_paths([legacy], tz="Europe/Paris").tables["posts"].set_index("post_id")
    assert tweets.loc["805829216292974143", "engagements"] == 80
    native = kpis.native_rates(tweets.reset_index(), IMPRESSIONS, ["x"]).loc[0, "native_rate"]
    organic = tweets[~tweets["paid"].astype(bool)]
    assert native == pytest.approx(organic["engagements"].sum() / organic["impressions"].sum())
    linkedin = imports.import_paths([exports / "linkedin"], tz="Europe/Paris").tables["posts"]
    assert linkedin["follows"].notna().any()
    assert not math.isnan(kpis.native_rates(linkedin, IMPRESSIONS, ["linkedin"]).loc[0, "native_rate"])
