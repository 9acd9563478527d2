"""Influencer campaigns: the optional ``campaigns`` table read strictly, each campaign's costs per
engagement, click and lead and its ROI (unknown never 0), and 07's section beside the networks'
own ROI. Small hand-made tables."""

from __future__ import annotations

import html
import math
import re

import pandas as pd
import pytest

from helpers.client.brief import load_brief
from helpers.client.loading import ClientData, DataError, empty_table, load_client, read_table
from helpers.client.schemas import TABLES
from helpers.method import campaigns as camp
from helpers.report.display import Section
from helpers.report.pages import tracking as tracking_page
from helpers.run.context import Run
from tests.conftest import DEMO

HEADER = "campaign,influencer,network,start,end,cost,posts,reach,interactions,clicks,leads,revenue"
BRIEF = load_brief(DEMO / "brief.yaml")


def _campaigns() -> pd.DataFrame:
    """Spring: two influencers (the second's revenue unknown); Gifts: one influencer, no lead."""
    return pd.DataFrame(
        {
            "campaign": ["Spring", "Spring", "Gifts"],
            "influencer": ["@lea", "@marie", "@max"],
            "network": ["instagram", "tiktok", "instagram"],
            "start": pd.to_datetime(["2026-03-01", "2026-03-05", "2026-06-01"]),
            "end": pd.to_datetime(["2026-03-31", "2026-03-20", "2026-06-10"]),
            "cost": [1000.0, 500.0, 2000.0],
            "posts": pd.array([3, 2, None], dtype="Int64"),
            "reach": pd.array([50_000, None, 80_000], dtype="Int64"),
            "interactions": pd.array([2000, 500, None], dtype="Int64"),
            "clicks": pd.array([400, 0, 300], dtype="Int64"),
            "leads": pd.array([20, 5, 0], dtype="Int64"),
            "revenue": [3000.0, math.nan, 1500.0],
        }
    )


def _text(markup: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


# --------------------------------------------------------------------------- arithmetic
def test_each_campaign_s_costs_and_roi():
    table = camp.campaign_table(_campaigns())
    assert table["level"].tolist() == ["row", "row", "campaign", "row", "total"]
    lea, marie, spring, gifts, total = (table.iloc[i] for i in range(5))
    assert lea["cost_per_engagement"] == pytest.approx(1000 / 2000)
    assert lea["cost_per_click"] == pytest.approx(1000 / 400)
    assert lea["cost_per_lead"] == pytest.approx(1000 / 20)
    assert lea["roi"] == pytest.approx((3000 - 1000) / 1000)
    assert gifts["roi"] == pytest.approx((1500 - 2000) / 2000)
    assert lea["days"] == 31 and gifts["days"] == 10
    # the subtotal of a campaign run with two influencers: ratios of its sums
    assert spring["cost"] == 1500 and spring["cost_per_click"] == pytest.approx(1500 / 400)
    assert spring["cost_per_lead"] == pytest.approx(1500 / 25)
    # the total: every cost, each ratio over the campaigns whose figure is known
    assert total["cost"] == 3500
    assert total["cost_per_click"] == pytest.approx(3500 / 700)
    assert total["cost_per_lead"] == pytest.approx(3500 / 25)
    assert total["cost_per_engagement"] == pytest.approx(1500 / 2500)  # Gifts' interactions unknown
    assert total["roi"] == pytest.approx((3000 + 1500 - 3000) / 3000)  # Marie's revenue unknown


def test_unknown_revenue_is_unknown_never_zero():
    table = camp.campaign_table(_campaigns())
    marie = table.iloc[1]
    assert math.isnan(marie["revenue"]) and math.isnan(marie["roi"])  # not −100 %
    gifts = table.iloc[3]
    assert math.isnan(gifts["interactions"]) and math.isnan(gifts["cost_per_engagement"])
    # a count of 0 is known: no ratio either, but the page tells "none brought" from unknown
    assert gifts["leads"] == 0 and math.isnan(gifts["cost_per_lead"])
    assert camp.zero_counts(table) == {"cost_per_click": [1], "cost_per_lead": [3]}
    assert camp.total_coverage(table) == {"cost_per_engagement": [3], "roi": [1]}
    only_unknown = _campaigns().assign(revenue=math.nan)
    assert math.isnan(camp.campaign_table(only_unknown).iloc[-1]["roi"])


def test_no_campaign_gives_an_empty_table_and_a_bad_one_is_refused():
    empty = camp.campaign_table(_campaigns().iloc[0:0])
    assert empty.empty and list(empty.columns) == camp.COLUMNS
    with pytest.raises(ValueError, match="lacks revenue"):
        camp.campaign_table(_campaigns().drop(columns="revenue"))
    with pytest.raises(ValueError, match="a cost of 0 or more on every row"):
        camp.campaign_table(_campaigns().assign(cost=[1.0, math.nan, 2.0]))


def _roi_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "channel": ["facebook", "instagram", "x", "total"],
            "cost": [1000.0, 3000.0, math.nan, 4000.0],
            "leads": pd.array([10, 30, None, 40], dtype="Int64"),
            "revenue": [1500.0, 2100.0, math.nan, 3600.0],
            "roi": [0.5, -0.3, math.nan, -0.1],
        }
    )


def test_influence_beside_the_networks():
    beside = camp.beside_networks(camp.campaign_table(_campaigns()), _roi_table())
    assert beside["kind"].tolist() == ["influence", "network", "network", "networks"]
    assert beside["source"].tolist() == ["campaigns", "facebook", "instagram", "networks"]  # x: cost unknown
    networks = beside.iloc[-1]
    assert networks["cost"] == 4000 and networks["roi"] == pytest.approx((3600 - 4000) / 4000)
    assert networks["cost_per_lead"] == pytest.approx(4000 / 40)
    assert beside.iloc[1]["cost_per_lead"] == pytest.approx(100.0)
    influence, others, verdict = camp.influence_pays(beside)
    assert influence == pytest.approx(0.5) and others == pytest.approx(-0.1) and verdict == "influence"
    worse = camp.campaign_table(_campaigns().assign(revenue=[100.0, math.nan, 100.0]))
    assert camp.influence_pays(camp.beside_networks(worse, _roi_table()))[2] == "networks"
    no_crm = _roi_table().assign(revenue=math.nan, roi=math.nan)
    assert (
        camp.influence_pays(camp.beside_networks(camp.campaign_table(_campaigns()), no_crm))[2] == "unknown"
    )


# --------------------------------------------------------------------------- the table, read strictly
def _csv(tmp_path, *rows: str):
    path = tmp_path / "campaigns.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


GOOD = "Spring,@lea,instagram,2026-03-01,2026-03-31,1000,3,50000,2000,400,20,3000"


def test_the_template_matches_the_schema_and_a_good_file_is_typed(tmp_path):
    assert TABLES["campaigns"].column_names == HEADER.split(",")
    table = read_table(
        _csv(tmp_path, GOOD, "Gifts,@max,instagram,2026-06-01,2026-06-01,0,,,,,,"), "campaigns"
    )
    assert table.loc[0, "start"] == pd.Timestamp("2026-03-01") and table.loc[0, "cost"] == 1000
    assert table.loc[1, "cost"] == 0  # a free campaign (gifted products) is allowed
    assert table.loc[1, ["posts", "reach", "interactions", "clicks", "leads", "revenue"]].isna().all()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "Spring,@lea,instagram,2026-03-01,2026-03-31,,3,50000,2000,400,20,3000",
            r"campaigns.csv: column 'cost': expected a number \(this figure cannot be left unknown\); got row 3 \(''\)",
        ),
        (
            "Spring,@lea,instagram,2026-03-01,2026-03-31,-5,3,50000,2000,400,20,3000",
            r"column 'cost': expected a number ≥ 0; got row 3 \('-5'\)",
        ),
        (
            "Spring,@lea,instagram,2026-03-31,2026-03-01,1000,3,50000,2000,400,20,3000",
            r"column 'end': expected a date on or after 'start'; got row 3 \('2026-03-01' before start '2026-03-31'\)",
        ),
        (
            "Spring,@lea,instagram,31/03/2026,2026-04-01,1000,3,50000,2000,400,20,3000",
            r"column 'start': expected a date like 2026-03-05; got row 3 \('31/03/2026'\)",
        ),
        (
            "Spring,@lea,myspace,2026-03-01,2026-03-31,1000,3,50000,2000,400,20,3000",
            r"column 'network': expected one of facebook, instagram",
        ),
        (
            "Spring,@lea,instagram,2026-03-01,2026-03-31,1000,3,50000,2000,400,2.5,3000",
            r"column 'leads': expected a whole count; got row 3 \('2.5'\)",
        ),
        (",@lea,instagram,2026-03-01,2026-03-31,1000,3,,,,,", r"column 'campaign': expected a value"),
    ],
)
def test_a_bad_campaigns_file_is_refused_with_file_row_column_and_value(tmp_path, row, message):
    with pytest.raises(DataError, match=message):
        read_table(_csv(tmp_path, GOOD, row), "campaigns")


def test_a_missing_column_or_a_repeated_campaign_is_refused(tmp_path):
    path = tmp_path / "campaigns.csv"
    path.write_text(HEADER.removesuffix(",revenue") + "\n" + GOOD.rsplit(",", 1)[0] + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"missing column\(s\) revenue for the 'campaigns' table"):
        read_table(path, "campaigns")
    with pytest.raises(DataError, match=r"duplicated key \(campaign, influencer, network\) on rows 2, 3"):
        read_table(_csv(tmp_path, GOOD, GOOD), "campaigns")


def test_a_client_folder_reads_its_campaigns_and_refuses_a_bad_one(tmp_path):
    folder = tmp_path / "acme"
    (folder / "tables").mkdir(parents=True)
    (folder / "brief.yaml").write_text((DEMO / "brief.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "tables" / "posts.csv").write_text(",".join(TABLES["posts"].column_names) + "\n", "utf-8")
    assert load_client("acme", tmp_path).tables["campaigns"].empty  # optional: absent is empty
    (folder / "tables" / "campaigns.csv").write_text(f"{HEADER}\n{GOOD}\n", "utf-8")
    assert load_client("acme", tmp_path).tables["campaigns"]["cost"].tolist() == [1000.0]
    (folder / "tables" / "campaigns.csv").write_text(f"{HEADER}\n{GOOD.replace(',1000,', ',,')}\n", "utf-8")
    with pytest.raises(DataError, match=r"tables/campaigns.csv: column 'cost'"):
        load_client("acme", tmp_path)


# --------------------------------------------------------------------------- 07's section
def _run(tmp_path, lang: str, campaigns: pd.DataFrame) -> Run:
    data = ClientData("demo", DEMO, BRIEF, {"campaigns": campaigns})
    return Run(data=data, lang=lang, run_dir=tmp_path, start=BRIEF.period.start, end=BRIEF.period.end)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "Influencer campaigns",
                "Spring: total",
                "none brought",
                "ROI: total over the other campaigns; unknown for Spring (@marie), left out.",
                "The influencer campaigns (€3,500) returned +50%, against −10% for the networks' own work "
                "(Facebook and Instagram): influence paid better over the period.",
            ],
        ),
        (
            "fr",
            [
                "Campagnes d'influence",
                "Spring : total",
                "aucun",
                "ROI : total sur les autres campagnes ; non disponible pour Spring (@marie), laissé de côté.",
                "contre −10 % pour le travail propre des réseaux (Facebook et Instagram) : l'influence a été "
                "plus rentable sur la période.",
            ],
        ),
    ],
)
def test_07_shows_the_campaigns_beside_the_networks(tmp_path, lang, expected):
    roi = Section(tracking_page.heading(""), _roi_table())
    section = tracking_page.campaigns(_run(tmp_path, lang, _campaigns()), roi)
    text = _text(section.markup)
    for piece in expected:
        assert piece in text
    assert re.search(r"(?<![\w-])(<NA>|NaN|nan|None|inf)(?![\w-])", text) is None
    assert section.figure is not None and len(section.table) == 5
    assert section.data["beside"]["kind"].tolist()[0] == "influence"


def test_a_client_without_campaigns_gets_no_section(tmp_path):
    roi = Section(tracking_page.heading(""), _roi_table())
    section = tracking_page.campaigns(_run(tmp_path, "en", empty_table(TABLES["campaigns"])), roi)
    assert section.markup == "" and section.table.empty and section.figure is None
