"""Like-for-like comparisons with the competitors: per network, per post per 1,000 followers, a
pooled gap weighted by the brand's network mix, and authors tiered by their largest follower count
with media and brands kept apart. Small hand-made tables, one rule each."""

from __future__ import annotations

import datetime as dt
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from helpers.client.brief import load_brief
from helpers.method import observation, synthesis
from tests.conftest import DEMO

BRIEF = load_brief(DEMO / "brief.yaml")
BRAND = BRIEF.client.name  # Atelier Sève; competitors Maison Argile, Bulles d'Ici, Herbier Moderne
START, END = dt.date(2026, 1, 1), dt.date(2026, 1, 28)  # four weeks


def _posts(channel: str, interactions: list[int]) -> pd.DataFrame:
    n = len(interactions)
    return pd.DataFrame(
        {
            "post_id": [f"{channel}{i}" for i in range(n)],
            "channel": channel,
            "account": "a",
            "published_at": pd.date_range("2026-01-02", periods=n, freq="D", tz="UTC"),
            "reactions": interactions,
            "comments": 0,
            "shares": 0,
            "saves": pd.NA,
            "format": "photo",
        }
    )


def _data(posts: pd.DataFrame, followers: dict, competitors: list[tuple]) -> SimpleNamespace:
    """Two networks where pooling and per-network disagree (see the tests)."""
    follower_rows = pd.DataFrame(
        {"date": pd.Timestamp("2026-01-27"), "channel": list(followers), "account": "a",
         "followers": list(followers.values())}  # fmt: skip
    )
    comp = pd.DataFrame(competitors, columns=["date", "brand", "channel", "followers", "posts", "interactions"])
    comp["date"] = pd.to_datetime(comp["date"])
    return SimpleNamespace(
        brief=BRIEF, tables={"posts": posts, "followers": follower_rows, "competitors": comp, "mentions": pd.DataFrame()}
    )


# The brand posts mostly on X (few interactions a post everywhere), its competitors mostly on Instagram.
# Per network: on Instagram the brand gets 200 a post against competitors' 300 and 250 (median 275),
# per 1,000 followers 200 / 5,000 → 40 against 300 / 20,000 → 15 and 250 / 10,000 → 25 (median 20): ahead.
# On X: 10 a post against 20 and 12 (median 16); per 1,000 followers 5 against 20 and 15: behind.
POSTS = pd.concat([_posts("instagram", [200] * 8), _posts("x", [10] * 32)], ignore_index=True)
COMPETITORS = [
    ("2026-01-01", "Maison Argile", "instagram", 20_000, 40, 12_000),
    ("2026-01-01", "Maison Argile", "x", 1_000, 4, 80),
    ("2026-01-01", "Bulles d'Ici", "instagram", 10_000, 20, 5_000),
    ("2026-01-01", "Bulles d'Ici", "x", 800, 2, 24),
]


def _networks() -> pd.DataFrame:
    data = _data(POSTS, {"instagram": 5_000, "x": 2_000}, COMPETITORS)
    return observation.network_benchmark(BRIEF, data, START, END)


def test_the_per_network_benchmark_normalises_by_the_network_community():
    nb = _networks().set_index(["channel", "brand"])
    assert nb.loc[("instagram", BRAND), "interactions_per_post"] == pytest.approx(200)
    assert nb.loc[("instagram", BRAND), "interactions_per_post_per_1000"] == pytest.approx(40)
    assert nb.loc[("instagram", "Maison Argile"), "interactions_per_post_per_1000"] == pytest.approx(15)
    assert nb.loc[("x", "Bulles d'Ici"), "interactions_per_post"] == pytest.approx(12)
    assert nb.loc[("instagram", BRAND), "posts_per_week"] == pytest.approx(2)  # 8 posts in 4 weeks
    # the brand's per-post figure has an interval (identical posts: a point), the competitors' none
    assert nb.loc[("instagram", BRAND), "interactions_per_post_low"] == pytest.approx(200)
    assert math.isnan(nb.loc[("instagram", "Maison Argile"), "interactions_per_post_low"])
    assert ("linkedin", "Herbier Moderne") not in nb.index  # no competitor row where none publishes


def test_the_brand_counts_what_the_competitors_count_on_its_feed_posts():
    """Like for like: the competitors' table counts reactions, comments and shares of their posts,
    so the brand's saves and its stories (no comments or saves by design) stay out."""
    feed = _posts("instagram", [200] * 8).assign(saves=50)
    stories = _posts("instagram", [5] * 8).assign(format="story", post_id=lambda f: "s" + f["post_id"])
    data = _data(pd.concat([feed, stories], ignore_index=True), {"instagram": 5_000}, COMPETITORS)
    nb = observation.network_benchmark(BRIEF, data, START, END).set_index(["channel", "brand"])
    assert nb.loc[("instagram", BRAND), "interactions_per_post"] == pytest.approx(200)
    assert nb.loc[("instagram", BRAND), "posts"] == 8


def test_a_network_without_a_follower_record_has_no_per_1000_figure_never_0():
    data = _data(POSTS, {"instagram": 5_000}, COMPETITORS)  # X's community unknown
    nb = observation.network_benchmark(BRIEF, data, START, END).set_index(["channel", "brand"])
    assert math.isnan(nb.loc[("x", BRAND), "followers"])
    assert math.isnan(nb.loc[("x", BRAND), "interactions_per_post_per_1000"])
    assert nb.loc[("x", BRAND), "interactions_per_post"] == pytest.approx(10)


def test_the_pooled_gap_is_weighted_by_the_brand_network_mix():
    networks = _networks()
    mix = observation.brand_mix_reference(networks)
    # the brand: 8 Instagram posts, 32 on X → weights 0.2 / 0.8
    assert mix["brand"] == pytest.approx((8 * 200 + 32 * 10) / 40)  # its own ratio of sums: 48
    assert mix["reference"] == pytest.approx(0.2 * 275 + 0.8 * 16)  # 67.8
    assert mix["coverage"] == 1.0 and mix["networks"] == 2
    # the unweighted pooled median (competitors post mostly on Instagram) is far higher
    pooled = pd.DataFrame(COMPETITORS, columns=["d", "brand", "c", "f", "posts", "i"]).groupby("brand")
    plain = (pooled["i"].sum() / pooled["posts"].sum()).median()
    assert plain > 200 and mix["gap"] == pytest.approx(48 / 67.8 - 1)


def test_per_network_and_pooled_disagree_and_the_findings_follow_the_networks():
    networks = _networks()
    bench = pd.DataFrame({"brand": [BRAND, "Maison Argile", "Bulles d'Ici"], "followers": [7_000.0, 21_000, 10_800],
                          "interactions_per_post": [48.0, 276.0, 228.0]})  # fmt: skip
    card = synthesis.scorecard(bench, BRAND, networks, threshold=0.15, min_posts=5)
    rows = card.set_index(["kpi", "scope"])
    assert rows.loc[("interactions_per_post_per_1000", "instagram"), "verdict"] == "strength"  # 40 vs 20
    assert rows.loc[("interactions_per_post_per_1000", "x"), "verdict"] == "weakness"  # 5 vs 17.5
    assert rows.loc[("interactions_per_post", "all"), "competitors_median"] == pytest.approx(67.8)
    assert ("followers", "all") not in rows.index  # per network, not the pooled sum
    assert "community_share_of_voice" not in set(card["kpi"])  # the pooled followers again
    weights = synthesis.objective_weights(BRIEF)
    found = {f.id: f for f in synthesis._scorecard_findings(card, weights)}
    assert found["score_interactions_per_post_per_1000_instagram"].kind == "strength"
    assert found["score_interactions_per_post_per_1000_x"].kind == "weakness"
    # a network's finding weighs its share of the brand's posts (8 of 40 on Instagram, 32 on X)
    assert found["score_interactions_per_post_per_1000_instagram"].weight == pytest.approx(weights["engagement"] * 0.2)
    assert found["score_interactions_per_post_per_1000_x"].weight == pytest.approx(weights["engagement"] * 0.8)
    # the pooled row and the raw per-post rows are shown, not findings; nor is posting pace
    assert not any(i.startswith(("score_interactions_per_post_", "score_posts_per_week")) and "1000" not in i
                   for i in found)  # fmt: skip
    assert "score_interactions_per_post" not in found


def test_a_gap_inside_the_brand_interval_or_under_the_threshold_is_no_finding():
    assert synthesis.score_verdict(105, 100, True, 0.15)[1] == "on_par"
    assert synthesis.score_verdict(150, 100, True, 0.15, (90, 210), 20, 5)[1] == "not_distinguishable"
    assert synthesis.score_verdict(150, 100, True, 0.15, (120, 180), 3, 5)[1] == "too_few"
    assert synthesis.score_verdict(150, 100, True, 0.15, (120, 180), 20, 5)[1] == "strength"
    assert synthesis.score_verdict(np.nan, 100, True, 0.15)[1] == "unknown"


def test_a_median_of_one_competitor_is_shown_but_not_a_finding():
    networks = _networks()
    networks = networks[~((networks["channel"] == "x") & (networks["brand"] == "Bulles d'Ici"))]
    bench = pd.DataFrame({"brand": [BRAND, "Maison Argile", "Bulles d'Ici"], "followers": [1.0, 2.0, 3.0]})
    card = synthesis.scorecard(bench, BRAND, networks, threshold=0.15, min_posts=5)
    x = card[(card["scope"] == "x") & (card["kpi"] == "interactions_per_post_per_1000")].iloc[0]
    assert x["verdict"] == "weakness" and x["competitors"] == 1
    found = {f.id for f in synthesis._scorecard_findings(card, synthesis.objective_weights(BRIEF))}
    assert "score_interactions_per_post_per_1000_x" not in found
    assert "score_interactions_per_post_per_1000_instagram" in found


# ------------------------------------------------------------------ authors


MENTIONS = pd.DataFrame(
    {
        "mention_id": [str(i) for i in range(9)],
        "brand": BRAND,
        # ann: first mention without a count, then 2,000, then 15,000 → micro by her largest count
        "author": ["ann", "ann", "ann", "bob", "journal-de-l-armor", "ouest-eco-mag", "maison.argile", "cy", "dee"],
        "channel": ["x", "instagram", "instagram", "x", "news", "blog", "instagram", "forum", "x"],
        "author_followers": pd.array([None, 2_000, 15_000, 500, None, None, 40_000, None, 120_000], dtype="Int64"),
        "reach": pd.array([10, 20, 30, 5, 900, 400, 300, None, 1_000], dtype="Int64"),
        "sentiment": ["positive"] * 9,
    }
)


def test_an_author_is_tiered_by_the_largest_count_of_all_their_mentions():
    table = observation.authors(MENTIONS, BRAND, BRIEF.influencer_tiers, observation.brand_names(BRIEF))
    rows = table.set_index("author")
    assert rows.loc["ann", "author_followers"] == 15_000 and rows.loc["ann", "tier"] == "micro"
    assert rows.loc["cy", "tier"] == "unknown"  # no count anywhere: unknown, not a small account
    assert rows.loc["bob", "tier"] == "public"


def test_media_and_brands_are_kept_apart_from_influencers():
    brands = observation.brand_names(BRIEF)
    rows = observation.authors(MENTIONS, BRAND, BRIEF.influencer_tiers, brands).set_index("author")
    assert rows.loc["journal-de-l-armor", "tier"] == "media"  # a news source
    assert rows.loc["ouest-eco-mag", "tier"] == "media"  # a blog whose name says it is a magazine
    assert rows.loc["maison.argile", "tier"] == "brand"  # a competitor's handle, not a micro-influencer
    assert observation.author_kinds(pd.DataFrame({"author": ["magali_b"], "channel": ["x"]}))["magali_b"] == (
        "individual"
    )  # whole words only
    counts = observation.tier_counts(MENTIONS, BRAND, BRIEF.influencer_tiers, brands)
    assert counts.to_dict() == {"macro": 1, "micro": 1, "nano": 0, "public": 1, "unknown": 1, "media": 2, "brand": 1}


def test_tier_counts_on_the_demo_use_each_author_largest_count():
    """The demo: 5 macro, 24 micro, 124 nano by each author's largest count (the planted
    micro-influencer and off-topic macro author included), checked with plain pandas."""
    from helpers.client.loading import load_client

    data = load_client("demo")
    mentions = data.tables["mentions"]
    own = mentions[mentions["brand"] == BRAND]
    largest = own.assign(f=pd.to_numeric(own["author_followers"]).astype(float)).groupby("author")["f"].max()
    tiers = BRIEF.influencer_tiers
    expected = {
        "macro": int((largest >= tiers.macro).sum()),
        "micro": int(((largest >= tiers.micro) & (largest < tiers.macro)).sum()),
        "nano": int(((largest >= tiers.nano) & (largest < tiers.micro)).sum()),
    }
    counts = observation.tier_counts(mentions, BRAND, tiers, observation.brand_names(BRIEF))
    assert {k: int(counts[k]) for k in expected} == expected == {"macro": 5, "micro": 24, "nano": 124}
