"""Posts generating more than N interactions: N network-relative by default (twice the network's
median interactions per post) or the brief's ``analysis.interactions_threshold``, counted per
network and month on feed posts, unknown interactions left out. Small hand-made tables."""

from __future__ import annotations

import html
import math
import re

import pandas as pd
import pytest

from helpers.client.brief import Analysis, load_brief
from helpers.client.loading import ClientData
from helpers.method import evidence
from helpers.method import threshold_posts as above
from helpers.report.pages import observation as observation_page
from helpers.run.context import Run
from helpers.run.settings import resolve
from tests.conftest import DEMO

BRIEF = load_brief(DEMO / "brief.yaml")
RULE = evidence.Rule(min_posts=5, n_boot=200)


def _posts(channel: str, month: str, interactions: list, fmt: str = "photo") -> pd.DataFrame:
    n = len(interactions)
    return pd.DataFrame(
        {
            "post_id": [f"{channel}-{month}-{i}" for i in range(n)],
            "channel": channel,
            "account": "brand",
            "published_at": pd.to_datetime([f"{month}-{10 + i % 15:02d}T10:00:00Z" for i in range(n)]),
            "format": fmt,
            "reach": pd.array([1000] * n, dtype="Int64"),
            "impressions": pd.array([2000] * n, dtype="Int64"),
            "reactions": pd.array(interactions, dtype="Int64"),
            "comments": pd.array([None if v is None else 0 for v in interactions], dtype="Int64"),
            "shares": pd.array([None] * n, dtype="Int64"),
            "saves": pd.array([None] * n, dtype="Int64"),
            "paid": pd.array([False] * n, dtype="boolean"),
        }
    )


def _table() -> pd.DataFrame:
    """Instagram: median 100, so N = 200; March has 2 posts above it of 6, April 1 of 4 (and one
    post whose interactions are unknown). X: median 10, so N = 20; 1 post above of 5."""
    return pd.concat(
        [
            _posts("instagram", "2026-03", [50, 100, 100, 250, 300, 80]),
            _posts("instagram", "2026-04", [100, 90, 201, 200, None]),
            _posts("x", "2026-03", [5, 10, 10, 21, 8]),
        ],
        ignore_index=True,
    )


def test_the_default_n_is_twice_the_network_s_median():
    limits = above.thresholds(_table()).set_index("channel")
    assert limits.loc["instagram", "median"] == 100 and limits.loc["instagram", "threshold"] == 200
    assert limits.loc["x", "threshold"] == 2 * 10 and set(limits["basis"]) == {"relative"}
    assert above.RELATIVE_MULTIPLE == 2


def test_posts_strictly_above_n_per_network_and_month():
    monthly = above.posts_above(_table(), "Europe/Paris", None, RULE).set_index(["channel", "month"])
    march = monthly.loc[("instagram", pd.Timestamp("2026-03-01"))]
    assert (march["posts"], march["above"], march["unknown"]) == (6, 2, 0)
    assert march["share"] == pytest.approx(2 / 6) and march["low"] <= 2 / 6 <= march["high"]
    april = monthly.loc[("instagram", pd.Timestamp("2026-04-01"))]
    # 200 is not above 200; the post whose interactions are unknown is not a post with 0
    assert (april["posts"], april["above"], april["unknown"]) == (4, 1, 1)
    assert math.isnan(april["low"])  # 4 posts: under the sample rule, no interval
    x = monthly.loc[("x", pd.Timestamp("2026-03-01"))]
    assert (x["posts"], x["above"], x["threshold"]) == (5, 1, 20)
    period = above.by_network(_table(), None, RULE).set_index("channel")
    assert (period.loc["instagram", "posts"], period.loc["instagram", "above"]) == (10, 3)


def test_the_brief_s_n_applies_to_every_network():
    period = above.by_network(_table(), 90, RULE).set_index("channel")
    assert set(period["threshold"]) == {90} and set(period["basis"]) == {"brief"}
    assert period.loc["instagram", "above"] == 7 and period.loc["x", "above"] == 0
    with pytest.raises(ValueError, match="must be a number ≥ 0"):
        above.thresholds(_table(), -1)


def test_a_network_without_known_interactions_gets_no_n_and_no_count():
    unknown = _posts("linkedin", "2026-03", [None, None])
    period = above.by_network(unknown, None, RULE).iloc[0]
    assert math.isnan(period["threshold"]) and period["posts"] == 0 and period["unknown"] == 2
    assert math.isnan(period["share"])


def test_the_setting_is_validated_and_unset_by_default():
    assert Analysis().interactions_threshold is None
    assert Analysis(interactions_threshold=500).interactions_threshold == 500
    with pytest.raises(ValueError):
        Analysis(interactions_threshold=-3)
    settings = resolve(Analysis(), {"interactions_threshold": None}, "en")
    assert "  interactions_threshold: null" in settings.as_yaml()  # YAML's unset, not the text "None"
    assert "network-relative" in settings._repr_html_()


def _text(markup: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def _run(tmp_path, lang: str, posts: pd.DataFrame) -> Run:
    data = ClientData("demo", DEMO, BRIEF, {"posts": posts})
    return Run(data=data, lang=lang, run_dir=tmp_path, start=BRIEF.period.start, end=BRIEF.period.end)


@pytest.mark.parametrize(
    ("lang", "threshold", "expected"),
    [
        (
            "en",
            None,
            ["Posts generating more than N interactions", "200 (twice the network's median)", "2 of 6"],
        ),
        (
            "fr",
            None,
            ["Publications générant plus de N interactions", "200 (deux fois la médiane du réseau)"],
        ),
        (
            "en",
            90,
            ["90 (brief)", "Instagram has the largest share", "7 of its 10 feed posts (70%) went above"],
        ),
    ],
)
def test_01_shows_the_count_the_share_and_the_months(tmp_path, lang, threshold, expected):
    stories = _posts("instagram", "2026-03", [9000] * 3, fmt="story")  # stories are not feed posts
    posts = pd.concat([_table(), stories], ignore_index=True)
    section = observation_page.posts_above(_run(tmp_path, lang, posts), threshold=threshold, min_posts=5)
    text = _text(section.markup)
    for piece in expected:
        assert piece in text
    assert re.search(r"(?<![\w-])(<NA>|NaN|nan|None|inf)(?![\w-])", text) is None
    assert section.table.set_index("channel").loc["instagram", "posts"] == 10
    assert section.figure is not None and len(section.data["monthly"]) == 3
