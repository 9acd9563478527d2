"""The post explorer of 01: one row per post with the brief's rate, filters and order that drive
the table and the widget, escaped output, a static view for batch runs, and the tops and flops."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from helpers.method.observation import local_times, top_posts
from helpers.report.explorer import (
    PostExplorer,
    explorer,
    posts_frame,
    safe_link,
    sort_posts,
    top_flop,
    top_flop_table,
)
from helpers.run.context import open_run


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return open_run("demo", run_dir=str(tmp_path_factory.mktemp("run")), lang="en")


@pytest.fixture(scope="module")
def frame(run):
    return posts_frame(run)


def _with_posts(run, posts: pd.DataFrame):
    """The same run with another posts table."""
    data = dataclasses.replace(run.data, tables={**run.data.tables, "posts": posts})
    return dataclasses.replace(run, data=data)


def _rows(html: str) -> int:
    return html.count("<tr>") - 1  # the header row


# --------------------------------------------------------------------------- the frame
def test_one_row_per_post_with_the_brief_rate(run, frame):
    posts = run.table("posts")
    assert len(frame) == len(posts) > 0
    assert set(frame["post_id"]) == set(posts["post_id"]) and frame["post_id"].is_unique
    top = top_posts(posts, run.brief.kpi, run.tz, n=10, followers=run.table("followers"))
    top = top.assign(post_id=posts.loc[top.index, "post_id"]).set_index("post_id")
    mine = frame.set_index("post_id").loc[top.index]
    assert mine["engagement_rate"].to_numpy() == pytest.approx(top["engagement_rate"].to_numpy())
    assert mine["interactions"].to_numpy() == pytest.approx(top["interactions"].to_numpy())
    assert (mine["published"] == top["published"]).all()
    # The demo brief divides by impressions: the rate is not interactions / reach.
    assert run.brief.kpi.engagement_rate == "impressions"
    known = frame.dropna(subset=["reach", "impressions"]).query("reach != impressions").iloc[0]
    assert known["engagement_rate"] == pytest.approx(known["interactions"] / known["impressions"])


def test_unknown_figures_stay_unknown(run, frame):
    posts = run.table("posts")
    assert frame["reach"].isna().sum() == posts["reach"].isna().sum() > 0
    assert frame["paid"].isna().sum() == posts["paid"].isna().sum() > 0
    assert not (frame.loc[frame["reach"].isna(), "reach"] == 0).any()
    no_permalink = _with_posts(run, posts.drop(columns="permalink"))
    assert posts_frame(no_permalink)["permalink"].isna().all()


def test_times_are_the_client_s_and_captions_are_excerpts(run, frame):
    local = local_times(run.table("posts"), run.tz)
    assert str(frame["published"].dt.tz) == run.tz
    assert sorted(frame["published"]) == sorted(local)
    assert (frame["weekday"] == frame["published"].dt.day_of_week).all()
    assert (frame["hour"] == frame["published"].dt.hour).all()
    assert (frame["month"] == frame["published"].dt.strftime("%Y-%m")).all()
    collapsed = frame["text"].str.split().str.join(" ")  # line breaks and runs of spaces: one space
    long = collapsed.str.len() > 80
    assert long.any() and (~long).any()
    assert frame.loc[long, "caption"].str.endswith("…").all()
    assert frame["caption"].str.len().max() <= 80
    assert (frame.loc[~long, "caption"] == collapsed[~long]).all()


# --------------------------------------------------------------------------- filters and order
def test_filters_drive_the_table_and_the_widget(run):
    view = explorer(run)
    box = view.widget()
    output = box.children[-1]
    everything = output.value
    view.set(network="instagram")
    assert set(view.table["channel"]) == {"instagram"}
    assert view.controls["network"].value == "instagram"
    assert output.value != everything and "Instagram" in output.value and "LinkedIn" not in output.value
    before = output.value
    view.set(format="reel", month="2026-03")
    table = view.table
    assert len(table) > 0 and set(table["format"]) == {"reel"} and set(table["month"]) == {"2026-03"}
    assert output.value != before and f"{len(table)} posts out of {len(view.frame)}" in output.value
    view.set(network="all", format="all", month=None, slot=(3, 18))
    assert len(view.table) > 0 and set(zip(view.table["weekday"], view.table["hour"], strict=True)) == {
        (3, 18)
    }
    assert (view.controls["weekday"].value, view.controls["hour"].value) == (3, 18)


def test_search_reads_the_whole_text_ignoring_case_and_accents(run, frame):
    view = explorer(run)
    view.widget()
    assert view.controls["search"].continuous_update
    view.controls["search"].value = "CREME calendula"  # as typed in the box
    found = view.table
    folded = frame["text"].str.lower()
    expected = frame[folded.str.contains("crème") & folded.str.contains("calendula")]
    assert len(found) == len(expected) > 0 and set(found["post_id"]) == set(expected["post_id"])
    assert view.state["search"] == "CREME calendula" and "“CREME calendula”" in view.output.value
    view.set(search="no post says this")
    assert view.table.empty and "No post matches these filters." in view.output.value


def test_a_control_changed_by_hand_updates_the_state_and_the_output(run):
    view = explorer(run)
    view.widget()
    before = view.output.value
    view.controls["format"].value = "story"
    assert view.state["format"] == "story" and set(view.table["format"]) == {"story"}
    assert view.output.value != before


def test_sort_works_both_ways_with_unknown_last(run):
    view = explorer(run, sort="reach", ascending=True)
    reach = view.table["reach"]
    known = reach.dropna()
    assert known.is_monotonic_increasing and reach.iloc[len(known) :].isna().all()
    view.set(ascending=False)
    reach = view.table["reach"]
    assert reach.dropna().is_monotonic_decreasing and reach.iloc[-1:].isna().all()
    assert view.table["engagement_rate"].notna().any()
    view.set(sort="published", limit=5)
    html = view.render().markup
    assert _rows(html) == 5 and view.table["published"].is_monotonic_decreasing
    newest = view.table.iloc[0]
    assert newest["caption"].split()[0] in html.split("<tbody>")[1].split("</tr>")[0]


def test_settings_outside_the_posts_are_refused(run):
    view = explorer(run)
    with pytest.raises(ValueError, match="instagram"):
        view.set(network="myspace")
    with pytest.raises(ValueError, match="engagement_rate"):
        view.set(sort="text")
    with pytest.raises(TypeError, match="colour"):
        view.set(colour="red")


def test_ties_are_ordered_the_same_way_every_time():
    frame = pd.DataFrame(
        {
            "post_id": ["b", "a", "c"],
            "published": pd.to_datetime(["2026-01-02", "2026-01-02", "2026-01-01"]),
            "engagement_rate": [0.1, 0.1, 0.1],
        }
    )
    assert list(sort_posts(frame)["post_id"]) == ["c", "a", "b"]
    assert list(sort_posts(frame.iloc[::-1])["post_id"]) == ["c", "a", "b"]


# --------------------------------------------------------------------------- escaping
def test_a_hostile_caption_and_a_javascript_link_are_escaped(run):
    posts = run.table("posts").copy()
    posts["text"] = posts["text"].astype("object")
    posts["permalink"] = posts["permalink"].astype("object")
    posts.loc[posts.index[0], ["text", "permalink"]] = ["<script>alert(1)</script> hi", "javascript:alert(1)"]
    posts.loc[posts.index[1], "permalink"] = 'https://x.example/p" onmouseover="alert(1)'
    hostile = _with_posts(run, posts)
    ids = list(posts["post_id"].iloc[:2])
    view = explorer(hostile, sort="published", ascending=True, limit=1000)
    assert set(ids) <= set(view.table["post_id"])
    html = view.render().markup
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; hi" in html
    assert 'href="javascript' not in html and "javascript:alert(1)" in html
    assert 'onmouseover="' not in html and 'href="https://x.example' not in html
    assert "https://x.example/p&quot; onmouseover=&quot;alert(1)" in html  # shown, as text
    assert html.count('target="_blank" rel="noopener"') == len(view.table) - 2
    assert safe_link("https://www.instagram.com/p/x?a=1&b=2", "open") == (
        '<a href="https://www.instagram.com/p/x?a=1&amp;b=2" target="_blank" rel="noopener">open</a>'
    )
    assert safe_link(" JavaScript:alert(1)", "open") == "JavaScript:alert(1)"
    assert safe_link(pd.NA, "open") == ""


# --------------------------------------------------------------------------- static views
def test_the_static_view_holds_the_rows_and_never_a_loading_message(run):
    view = PostExplorer(run, network="linkedin", limit=7)
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    html = bundle["text/html"]
    assert "Loading widget" not in html and "PostExplorer" not in html
    assert _rows(html) == 7 and html.count("www.linkedin.com") == 7
    assert "156 posts out of 834, the first 7 shown" in html and "Filters: LinkedIn" in html
    assert view._repr_html_() == html
    assert "Engagement rate" in html and "Published" in html and "Link" in html


def test_the_view_speaks_the_run_s_language(tmp_path):
    french = open_run("demo", run_dir=str(tmp_path), lang="fr")
    view = explorer(french, network="instagram", sort="engagement_rate", limit=3)
    html = view.render().markup
    best = view.table.iloc[0]
    rate = f"{best['engagement_rate'] * 100:.1f}".replace(".", ",") + "\u202f%"
    assert rate in html and "Taux d&#x27;engagement" in html and "ouvrir" in html
    assert "publications sur 834" in html and "Filtres\u202f: Instagram" in html


# --------------------------------------------------------------------------- tops and flops
def test_top_flop_gives_n_per_network_in_order(frame):
    picked = top_flop(frame, n=3)
    assert set(picked["channel"]) == set(frame["channel"])
    for channel, rows in picked.groupby("channel"):
        top, flop = rows[rows["group"] == "top"], rows[rows["group"] == "flop"]
        assert list(top["rank"]) == list(flop["rank"]) == [1, 2, 3]
        assert (
            top["engagement_rate"].is_monotonic_decreasing and flop["engagement_rate"].is_monotonic_increasing
        )
        rates = frame.loc[frame["channel"] == channel, "engagement_rate"].dropna()
        assert (
            top["engagement_rate"].iloc[0] == rates.max() and flop["engagement_rate"].iloc[0] == rates.min()
        )
        assert top["permalink"].notna().all() and flop["permalink"].notna().all()
    assert list(picked["channel"]) == sorted(picked["channel"])


def test_the_tops_and_flops_table_links_each_post(run, frame):
    picked = top_flop(frame, n=2)
    html = top_flop_table(run, picked).markup
    assert _rows(html) == len(picked) == 16
    assert html.count('target="_blank" rel="noopener"') == 16 and "Top or flop" in html
    for link in picked["permalink"]:
        assert f'href="{link}"' in html


def test_top_flop_never_ranks_unknowns_nor_a_post_twice(frame):
    small = frame[frame["channel"] == "x"].head(4).copy()
    small.loc[small.index[0], "engagement_rate"] = np.nan
    picked = top_flop(small, n=2)
    assert len(picked) == 3 and picked["post_id"].is_unique
    assert list(picked["group"]) == ["top", "top", "flop"]
    assert small.loc[small.index[0], "post_id"] not in set(picked["post_id"])
    few_views = top_flop(frame, n=1, min_impressions=1e9)
    assert few_views.empty and "group" in few_views.columns
    by_reach = top_flop(frame, n=1, by="reach")
    assert set(by_reach["channel"]) == set(frame.dropna(subset=["reach"])["channel"])
