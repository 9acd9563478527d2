"""Notable dates of the plan and the seasons a year earlier."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers.client.brief import Brief, load_brief
from helpers.method import strategy
from helpers.method.moments import RuleError, date_of, notable_dates
from tests.conftest import DEMO


@pytest.mark.parametrize(
    ("rule", "year", "expected"),
    [
        ("02-14", 2027, dt.date(2027, 2, 14)),
        ("nth-4-thu-11+1", 2026, dt.date(2026, 11, 27)),  # Black Friday
        ("nth-4-thu-11+4", 2026, dt.date(2026, 11, 30)),  # Cyber Monday
        ("nth-2-wed-01", 2027, dt.date(2027, 1, 13)),  # French winter sales
        ("nth-2-sun-05", 2027, dt.date(2027, 5, 9)),  # US Mother's Day
        ("last-wed-06", 2026, dt.date(2026, 6, 24)),
        ("easter-21", 2027, dt.date(2027, 3, 7)),  # Mothering Sunday (Easter 2027: 28 March)
        ("mothers-fr", 2027, dt.date(2027, 5, 30)),
        ("mothers-fr", 2020, dt.date(2020, 6, 7)),  # 31 May 2020 was Pentecost: moved a week
    ],
)
def test_rules_give_the_right_dates(rule, year, expected):
    assert date_of(rule, year) == expected


def test_an_unknown_rule_names_the_file_and_line(tmp_path):
    bad = tmp_path / "dates.csv"
    bad.write_text("country,rule,kind,name_fr,name_en\n*,02-14,commercial,A,A\n*,third-fri-05,commercial,B,B\n",
                   encoding="utf-8")
    with pytest.raises(RuleError, match=r"dates.csv, line 3: unknown date rule 'third-fri-05'"):
        notable_dates(load_brief(DEMO / "brief.yaml"), bad)


def test_demo_plan_has_its_country_moments_and_its_own_dates():
    brief = load_brief(DEMO / "brief.yaml")
    found = {(m.date, m.name, m.kind) for m in notable_dates(brief)}
    assert (dt.date(2027, 2, 14), "Saint-Valentin", "commercial") in found
    assert (dt.date(2027, 1, 13), "Début des soldes d'hiver", "commercial") in found
    assert (dt.date(2027, 2, 3), "Lancement de la gamme de shampoings solides", "brand") in found
    assert all(brief.horizon.start <= d <= brief.horizon.end for d, _, _ in found)
    # Black Friday is outside a January-March plan; an English brief gets English names.
    raw = brief.model_dump(mode="json")
    raw["client"]["lang"] = "en"
    raw["horizon"] = {"start": "2027-10-01", "end": "2027-12-31"}
    names = {m.name for m in notable_dates(Brief.model_validate(raw))}
    assert {"Black Friday", "Halloween", "Pink October"} <= names and "Saint-Valentin" not in names


def test_seasonality_compares_the_same_month_a_year_earlier():
    months = pd.date_range("2025-11-01", periods=12, freq="MS")
    series = pd.Series([100.0] * 12, index=months)
    series[pd.Timestamp("2026-02-01")] = 210.0  # mean becomes 109.17
    out = strategy.seasonality(series, dt.date(2027, 1, 1), dt.date(2027, 3, 31)).set_index("month")
    assert list(out["reference"]) == list(pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]))
    assert out.loc["2027-02-01", "index"] == pytest.approx(210 / series.mean())
    assert out.loc["2027-01-01", "index"] == pytest.approx(100 / series.mean())
    uncovered = strategy.seasonality(series, dt.date(2028, 1, 1), dt.date(2028, 1, 31))
    assert uncovered["index"].isna().all()
