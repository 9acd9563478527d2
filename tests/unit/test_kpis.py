"""KPIs on small hand-built tables; every expected value is worked out in a comment."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import kpis
from helpers.kpis import (
    KPIS,
    channel_share,
    community_share_of_voice,
    community_size,
    engagement_rate,
    followers_at,
    growth_rate,
    interactions,
    interactions_per_1000,
    kpi,
    lead_to_sql,
    monthly_growth,
    net_sentiment,
    people_talking,
    positive_share,
    post_engagement_rates,
    posts_per_week,
    reputation_score,
    resolution_rate,
    response_rate,
    response_time_mean,
    response_time_median,
    response_times,
    roi,
    share_of_voice,
    virality,
)

pytestmark = pytest.mark.filterwarnings("error")


def _ints(values):
    return pd.array(values, dtype="Int64")


def _utc(values):
    return pd.to_datetime(values, utc=True)


@pytest.fixture
def posts():
    # interactions = reactions + comments + shares + saves (NaN saves count as 0)
    # p1: 40 + 5 + 5 + 0 = 50   p2: 20 + 4 + 2 + 4 = 30   p3: 8 + 1 + 1 + 0 = 10
    return pd.DataFrame(
        {
            "post_id": ["p1", "p2", "p3"],
            "channel": ["instagram", "instagram", "facebook"],
            "account": ["brand", "brand", "brand"],
            "published_at": _utc(["2026-03-02T10:00Z", "2026-03-04T18:00Z", "2026-03-03T09:00Z"]),
            "format": ["photo", "reel", "video"],
            "impressions": _ints([1000, 2000, 400]),
            "reach": _ints([500, 1000, 0]),
            "reactions": _ints([40, 20, 8]),
            "comments": _ints([5, 4, 1]),
            "shares": _ints([5, 2, 1]),
            "saves": _ints([None, 4, None]),
        },
        index=[10, 11, 12],
    )


@pytest.fixture
def post_followers():
    # p1 (2 Mar) -> 2000 (1 Mar); p2 (4 Mar) -> 2500 (same day counts);
    # p3 (facebook, 3 Mar) -> no record before 5 Mar -> NaN; the "other" account is ignored.
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-03-01", "2026-03-04", "2026-03-05", "2026-03-01"]),
            "channel": ["instagram", "instagram", "facebook", "instagram"],
            "account": ["brand", "brand", "brand", "other"],
            "followers": _ints([2000, 2500, 1000, 9999]),
        }
    )


@pytest.fixture
def history():
    # instagram: 1000 (31 Jan), 1200 (28 Feb), 1500 (31 Mar); facebook starts mid-February.
    return pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2026-01-31", "2026-02-28", "2026-03-31", "2026-02-15", "2026-03-31"]
            ),
            "channel": ["instagram", "instagram", "instagram", "facebook", "facebook"],
            "account": ["brand"] * 5,
            "followers": _ints([1000, 1200, 1500, 400, 600]),
        }
    )


@pytest.fixture
def mentions():
    # brand: +, -, neutral, +   rival (the single competitor): -, -
    return pd.DataFrame(
        {
            "mention_id": [f"m{i}" for i in range(1, 7)],
            "published_at": _utc(
                ["2026-03-01T10:00Z", "2026-03-02T10:00Z", "2026-03-03T10:00Z",
                 "2026-04-01T10:00Z", "2026-03-05T10:00Z", "2026-04-02T10:00Z"]
            ),
            "channel": ["x", "instagram", "news", "x", "x", "forum"],
            "author": ["a", "b", "a", "c", "d", ""],
            "reach": _ints([1000, 500, 100, None, 3000, 400]),
            "sentiment": ["positive", "negative", "neutral", "positive", "negative", "negative"],
            "brand": ["Brand", "Brand", "Brand", "Brand", "Rival", "Rival"],
        }
    )


@pytest.fixture
def care():
    # 6 Mar 2026 is a Friday.
    return pd.DataFrame(
        {
            "message_id": ["c1", "c2", "c3", "c4"],
            "received_at": _utc(
                ["2026-03-06T17:00Z", "2026-03-07T12:00Z", "2026-03-10T08:00Z", "2026-03-11T10:00Z"]
            ),
            "answered_at": _utc(["2026-03-09T10:00Z", "2026-03-08T12:00Z", "2026-03-10T08:30Z", None]),
            "resolved": pd.array([True, False, True, None], dtype="boolean"),
            "channel": ["instagram", "facebook", "instagram", "facebook"],
            "type": ["question", "complaint", "question", "praise"],
        }
    )


# ------------------------------------------------------------------ posts


def test_interactions_sum_the_four_counts(posts):
    result = interactions(posts)
    assert result.tolist() == [50, 30, 10]
    assert result.index.tolist() == [10, 11, 12]


def test_followers_at_takes_last_record_at_or_before_the_day(posts, post_followers):
    result = followers_at(posts, post_followers)
    assert result.iloc[:2].tolist() == [2000, 2500]
    assert math.isnan(result.iloc[2])  # no facebook record before 3 March
    assert result.index.tolist() == [10, 11, 12]


def test_followers_at_without_any_history_is_nan(posts, post_followers):
    assert followers_at(posts, post_followers.iloc[:0]).isna().all()


@pytest.mark.parametrize(
    ("denominator", "aggregation", "expected"),
    [
        ("reach", "ratio_of_sums", 90 / 1500),  # (50+30+10) / (500+1000+0) = 0.06
        ("reach", "mean_of_rates", 0.065),  # mean(50/500, 30/1000); p3 (reach 0) left out
        ("impressions", "ratio_of_sums", 90 / 3400),  # 90 / (1000+2000+400)
        ("impressions", "mean_of_rates", 0.03),  # mean(0.05, 0.015, 0.025)
        ("followers", "ratio_of_sums", 80 / 4500),  # p3 has no follower record: (50+30)/(2000+2500)
        ("followers", "mean_of_rates", 0.0185),  # mean(50/2000, 30/2500) = mean(0.025, 0.012)
    ],
)
def test_engagement_rate_conventions(posts, post_followers, denominator, aggregation, expected):
    result = engagement_rate(posts, denominator, aggregation, followers=post_followers)
    assert result == pytest.approx(expected)


def test_engagement_rate_conventions_all_differ(posts, post_followers):
    values = {
        (d, a): engagement_rate(posts, d, a, followers=post_followers)
        for d in ("reach", "impressions", "followers")
        for a in ("ratio_of_sums", "mean_of_rates")
    }
    assert len({round(v, 9) for v in values.values()}) == 6


def test_engagement_rate_zero_reach_is_nan_and_grouped(posts):
    result = engagement_rate(posts, by="channel")
    # facebook: 10 / 0 -> nan; instagram: 80 / 1500
    assert math.isnan(result["facebook"])
    assert result["instagram"] == pytest.approx(80 / 1500)
    assert math.isnan(engagement_rate(posts.iloc[2:], aggregation="mean_of_rates"))


def test_engagement_rate_by_key_and_by_columns(posts):
    key = pd.Series(["w1", "w1", "w2"], index=posts.index, name="week")
    result = engagement_rate(posts, "impressions", by=key)
    assert result["w1"] == pytest.approx(80 / 3000)  # p1 + p2
    assert result["w2"] == pytest.approx(10 / 400)
    multi = engagement_rate(posts, "impressions", by=["channel", "account"])
    assert multi[("instagram", "brand")] == pytest.approx(80 / 3000)


def test_engagement_rate_by_followers_needs_the_table(posts):
    with pytest.raises(ValueError, match="followers table"):
        engagement_rate(posts, "followers")
    with pytest.raises(ValueError, match="denominator"):
        engagement_rate(posts, "clicks")
    with pytest.raises(ValueError, match="aggregation"):
        engagement_rate(posts, aggregation="median")


def test_post_engagement_rates(posts, post_followers):
    rates = post_engagement_rates(posts)
    assert rates.iloc[:2].tolist() == pytest.approx([0.1, 0.03])  # 50/500, 30/1000
    assert math.isnan(rates.iloc[2])  # reach 0
    by_followers = post_engagement_rates(posts, "followers", followers=post_followers)
    assert by_followers.iloc[:2].tolist() == pytest.approx([0.025, 0.012])
    assert math.isnan(by_followers.iloc[2])


def test_interactions_per_1000(posts, post_followers):
    # (50 + 30) / (2000 + 2500) * 1000 = 17.78; p3 without follower record left out
    assert interactions_per_1000(posts, post_followers) == pytest.approx(80 / 4.5)
    assert math.isnan(interactions_per_1000(posts, post_followers.iloc[:0]))


def test_virality(posts):
    assert virality(posts) == pytest.approx(8 / 3400)  # shares (5+2+1) / impressions
    by_channel = virality(posts, by="channel")
    assert by_channel["instagram"] == pytest.approx(7 / 3000)
    assert by_channel["facebook"] == pytest.approx(1 / 400)


def test_posts_per_week_counts_an_empty_week(posts):
    # 2 to 15 March = 14 days = 2 weeks; the 3 posts are all in the first week -> 1.5
    assert posts_per_week(posts, "2026-03-02", "2026-03-15") == pytest.approx(1.5)
    by_channel = posts_per_week(posts, "2026-03-02", "2026-03-15", by="channel")
    assert by_channel.to_dict() == pytest.approx({"facebook": 0.5, "instagram": 1.0})
    # 9 to 15 March: a week with no post -> 0; 3 to 9 March: p1 (2 March) is outside -> 2
    assert posts_per_week(posts, "2026-03-09", "2026-03-15") == 0
    assert posts_per_week(posts, "2026-03-03", "2026-03-09") == pytest.approx(2.0)
    with pytest.raises(ValueError, match="before"):
        posts_per_week(posts, "2026-03-15", "2026-03-02")


# ------------------------------------------------------------------ community


def test_community_size_latest_at_date(history):
    assert community_size(history).to_dict() == {"facebook": 600, "instagram": 1500}
    # on 20 Feb: instagram's last record is 31 Jan (1000), facebook's 15 Feb (400)
    assert community_size(history, at="2026-02-20").to_dict() == {"facebook": 400, "instagram": 1000}


def test_growth_rate_with_missing_history(history):
    result = growth_rate(history, "2026-02-01", "2026-03-31")
    assert result["instagram"] == pytest.approx(0.5)  # (1500 - 1000) / 1000
    assert math.isnan(result["facebook"])  # no record on or before 1 Feb
    # whole community, like-for-like: only instagram has a start value
    assert growth_rate(history, "2026-02-01", "2026-03-31", by=None) == pytest.approx(0.5)
    # from 28 Feb: instagram (1500-1200)/1200 = 0.25, facebook (600-400)/400 = 0.5,
    # total (2100 - 1600) / 1600 = 0.3125
    assert growth_rate(history, "2026-02-28", "2026-03-31").to_dict() == pytest.approx(
        {"facebook": 0.5, "instagram": 0.25}
    )
    assert growth_rate(history, "2026-02-28", "2026-03-31", by=None) == pytest.approx(0.3125)
    assert math.isnan(growth_rate(history, "2025-01-01", "2025-12-31", by=None))


def test_monthly_growth(history):
    result = monthly_growth(history).set_index(["channel", "month"])
    insta = result.loc["instagram"]
    assert insta["followers"].tolist() == [1000, 1200, 1500]
    assert math.isnan(insta["growth"].iloc[0])
    assert insta["growth"].iloc[1:].tolist() == pytest.approx([0.2, 0.25])  # 200/1000, 300/1200
    assert result.loc[("facebook", pd.Timestamp("2026-03-01")), "growth"] == pytest.approx(0.5)


def test_monthly_growth_gap_month_is_nan(history):
    # without February, March has no previous month to compare with
    result = monthly_growth(history.drop(index=[1, 3]))
    march = result[(result["channel"] == "instagram") & (result["month"] == "2026-03-01")]
    assert march["followers"].tolist() == [1500]
    assert march["growth"].isna().all()


def test_channel_share(history):
    result = channel_share(history)
    assert result["instagram"] == pytest.approx(1500 / 2100)
    assert result["facebook"] == pytest.approx(600 / 2100)


def test_community_share_of_voice():
    result = community_share_of_voice(pd.Series({"Brand": 3000, "Rival": 1000}))
    assert result.to_dict() == pytest.approx({"Brand": 0.75, "Rival": 0.25})
    assert community_share_of_voice(pd.Series({"Brand": 0, "Rival": 0})).isna().all()


# ------------------------------------------------------------------ listening


def test_share_of_voice_single_competitor(mentions):
    # Brand 4 of 6 mentions, Rival 2 of 6
    assert share_of_voice(mentions).to_dict() == pytest.approx({"Brand": 4 / 6, "Rival": 2 / 6})


def test_share_of_voice_reach_weighted(mentions):
    # Brand 1000 + 500 + 100 + 0 (NaN) = 1600; Rival 3000 + 400 = 3400; total 5000
    result = share_of_voice(mentions, weight="reach")
    assert result.to_dict() == pytest.approx({"Brand": 0.32, "Rival": 0.68})
    with pytest.raises(ValueError, match="followers"):
        share_of_voice(mentions, weight="followers")


def test_share_of_voice_by_month(mentions):
    month = mentions["published_at"].dt.strftime("%Y-%m").rename("month")
    result = share_of_voice(mentions, by=month)
    # March: Brand 3, Rival 1; April: Brand 1, Rival 1
    assert result[("2026-03", "Brand")] == pytest.approx(0.75)
    assert result[("2026-03", "Rival")] == pytest.approx(0.25)
    assert result[("2026-04", "Brand")] == pytest.approx(0.5)


def test_share_of_voice_brand_alone(mentions):
    assert share_of_voice(mentions[mentions["brand"] == "Brand"]).to_dict() == {"Brand": 1.0}


def test_people_talking(mentions):
    # Brand: a, b, c; Rival: d (empty author not counted); all: a, b, c, d
    assert people_talking(mentions).to_dict() == {"Brand": 3, "Rival": 1}
    assert people_talking(mentions, by=None) == 4


def test_net_sentiment_with_and_without_neutral(mentions):
    brand = mentions[mentions["brand"] == "Brand"]
    assert net_sentiment(brand) == pytest.approx(1 / 3)  # (2 - 1) / (2 + 1)
    assert net_sentiment(brand, include_neutral=True) == pytest.approx(0.25)  # (2 - 1) / (2 + 1 + 1)
    # all mentions: 2 positive, 3 negative, 1 neutral
    assert net_sentiment(mentions) == pytest.approx(-0.2)  # (2 - 3) / 5
    assert net_sentiment(mentions, include_neutral=True) == pytest.approx(-1 / 6)
    assert net_sentiment(mentions, by="brand").to_dict() == pytest.approx({"Brand": 1 / 3, "Rival": -1.0})
    assert math.isnan(net_sentiment(mentions[mentions["sentiment"] == "neutral"]))


def test_positive_share(mentions):
    assert positive_share(mentions) == pytest.approx(2 / 6)
    assert positive_share(mentions, by="brand").to_dict() == pytest.approx({"Brand": 0.5, "Rival": 0.0})


def test_reputation_score(mentions):
    result = reputation_score(mentions)
    assert list(result.columns) == ["share_of_voice", "net_sentiment", "reputation_score"]
    # Brand: 1/3 x 4/6 = 2/9; Rival: -1 x 2/6 = -1/3
    assert result["reputation_score"].to_dict() == pytest.approx({"Brand": 2 / 9, "Rival": -1 / 3})
    weighted = reputation_score(mentions, include_neutral=True, weight="reach")
    # Brand: 0.25 x 0.32 = 0.08; Rival: -1 x 0.68
    assert weighted["reputation_score"].to_dict() == pytest.approx({"Brand": 0.08, "Rival": -0.68})


# ------------------------------------------------------------------ care


def test_response_rate(care):
    # 3 answered of the 3 that need a reply: the unanswered c4 is praise, out of the denominator
    assert response_rate(care) == pytest.approx(1.0)
    assert response_rate(care, by="channel").to_dict() == pytest.approx({"facebook": 1.0, "instagram": 1.0})
    asked = care.assign(type=["question", "complaint", "question", "question"])
    assert response_rate(asked) == pytest.approx(0.75)  # 3 answered of 4 questions and complaints


def test_response_times_calendar_hours(care):
    # Fri 17:00 -> Mon 10:00 = 65 h; Sat 12:00 -> Sun 12:00 = 24 h; 08:00 -> 08:30 = 0.5 h
    result = response_times(care)
    assert result.tolist() == pytest.approx([65, 24, 0.5])
    assert response_time_median(care) == pytest.approx(24)
    assert response_time_mean(care) == pytest.approx(89.5 / 3)
    # instagram: median(65, 0.5) = 32.75; facebook: only c2 answered -> 24
    assert response_time_median(care, by="channel").to_dict() == pytest.approx(
        {"facebook": 24, "instagram": 32.75}
    )


def test_response_times_business_hours_across_weekend(care):
    hours = (9, 18, range(5))
    # c1: Friday 17-18 (1 h) + Monday 9-10 (1 h) = 2 h; c2: weekend only = 0; c3: before opening = 0
    assert response_times(care, business_hours=hours).tolist() == pytest.approx([2, 0, 0])
    assert response_time_median(care, business_hours=hours) == 0
    assert response_time_mean(care, business_hours=hours) == pytest.approx(2 / 3)
    # opening every day of the week: c2 counts Saturday 12-18 + Sunday 9-12 = 9 h
    every_day = response_times(care, business_hours=(9, 18, range(7)))
    assert every_day.iloc[1] == pytest.approx(9)


def test_response_times_business_hours_in_client_zone():
    care = pd.DataFrame(
        {
            # Friday 16:00 UTC = 17:00 Paris; Monday 08:30 UTC = 09:30 Paris (winter time)
            "received_at": _utc(["2026-03-06T16:00Z"]),
            "answered_at": _utc(["2026-03-09T08:30Z"]),
        }
    )
    # UTC: Friday 16-18 = 2 h, Monday nothing before 9 -> 2; Paris: 17-18 + 9-9:30 = 1.5
    assert response_times(care, business_hours=(9, 18)).tolist() == pytest.approx([2])
    paris = response_times(care, business_hours=(9, 18), tz="Europe/Paris")
    assert paris.tolist() == pytest.approx([1.5])
    with pytest.raises(ValueError, match="business_hours"):
        response_times(care, business_hours=(18, 9))


def test_resolution_rate(care):
    assert resolution_rate(care) == pytest.approx(0.5)  # 2 of 4, unknown counts as unresolved
    assert resolution_rate(care, by="channel").to_dict() == pytest.approx({"facebook": 0.0, "instagram": 1.0})
    assert math.isnan(resolution_rate(care.iloc[:0]))


# ------------------------------------------------------------------ leads and ROI


def test_lead_to_sql():
    leads = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-03-01", "2026-03-01", "2026-04-01"]),
            "channel": ["instagram", "linkedin", "linkedin"],
            "leads": _ints([10, 5, 0]),
            "sqls": _ints([3, 2, 0]),
        }
    )
    assert lead_to_sql(leads) == pytest.approx(5 / 15)  # (3 + 2) / (10 + 5)
    assert lead_to_sql(leads, by="channel").to_dict() == pytest.approx({"instagram": 0.3, "linkedin": 0.4})
    assert math.isnan(lead_to_sql(leads.iloc[2:]))  # 0 / 0


def test_roi():
    assert roi(1500, 1000) == pytest.approx(0.5)  # (1500 - 1000) / 1000
    assert roi(0, 200) == pytest.approx(-1.0)
    assert math.isnan(roi(100, 0))
    series = roi(pd.Series([300.0, 50.0]), pd.Series([100.0, 0.0]))
    assert series.iloc[0] == pytest.approx(2.0)
    assert math.isnan(series.iloc[1])


# ------------------------------------------------------------------ registry

REQUIRED = (
    "impressions reach mentions people_talking interactions share_of_voice followers follower_growth "
    "community_share_of_voice channel_share engagement_rate interactions_per_1000 virality posts_per_week "
    "comments net_sentiment positive_share reputation_score response_rate response_time_median "
    "response_time_mean resolution_rate leads sqls lead_to_sql roi"
).split()


def test_registry_has_every_kpi_in_both_languages():
    assert set(REQUIRED) <= set(KPIS)
    units = {"percent", "count", "hours", "per_1000", "ratio", "currency"}
    objectives = {"awareness", "community", "engagement", "satisfaction", "leads", "roi"}
    for kpi_id, record in KPIS.items():
        assert record.id == kpi_id
        assert record.unit in units and record.objective in objectives
        for lang in ("fr", "en"):
            assert record.name(lang).strip()
            assert record.definition(lang).endswith(".") and len(record.definition(lang)) > 10
        assert ("/" in record.definition("en")) == bool(record.denominator_en)
    assert KPIS["response_time_median"].higher_is_better is False
    assert KPIS["response_time_mean"].higher_is_better is False
    assert KPIS["engagement_rate"].higher_is_better is True
    assert KPIS["share_of_voice"].name("fr") == "Part de voix"


def test_engagement_rate_variant_names():
    assert kpi("engagement_rate").name("fr") == "Taux d'engagement (portée)"
    assert kpi("engagement_rate").name("en") == "Engagement rate (by reach)"
    by_impressions = kpi("engagement_rate", denominator="impressions", aggregation="mean_of_rates")
    assert by_impressions.name("en") == "Average engagement rate (by impressions)"
    assert by_impressions.name("fr") == "Taux d'engagement moyen (impressions)"
    assert "mean of the per-post rates" in by_impressions.definition("en")
    assert "abonnés" in kpi("engagement_rate", denominator="followers").definition("fr")
    names = {
        kpi("engagement_rate", denominator=d, aggregation=a).name(lang)
        for d in ("reach", "impressions", "followers")
        for a in ("ratio_of_sums", "mean_of_rates")
        for lang in ("fr", "en")
    }
    assert len(names) == 12
    assert "neutres" in kpi("net_sentiment", include_neutral=True).definition("fr")


def test_kpi_errors():
    with pytest.raises(KeyError, match="engagement_rate"):
        kpi("likes_per_post")
    with pytest.raises(ValueError, match="denominator"):
        kpi("engagement_rate", denominator="clicks")
    with pytest.raises(ValueError):
        kpi("reach", denominator="impressions")
    with pytest.raises(ValueError):
        kpi("engagement_rate", weight="reach")
    with pytest.raises(ValueError, match="language"):
        KPIS["reach"].name("de")


def test_every_function_names_a_registered_kpi(posts):
    # grouped results carry the KPI id as their name
    assert engagement_rate(posts, by="channel").name in KPIS
    assert virality(posts, by="channel").name in KPIS
    assert kpis.reputation_formula(0.5, 0.4) == pytest.approx(0.2)


def test_for_conventions_names_the_brief_variant():
    from helpers.client.brief import KpiConventions

    conv = KpiConventions(engagement_rate="followers", aggregation="mean_of_rates", net_sentiment_neutral=True)
    assert kpis.for_conventions("engagement_rate", conv).name("en") == "Average engagement rate (by followers)"
    assert kpis.for_conventions("net_sentiment", conv).name("en") == "Net sentiment (neutral included)"
    assert kpis.for_conventions("mentions", conv) == kpis.kpi("mentions")
