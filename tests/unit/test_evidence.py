"""The one sample rule and interval method (helpers/method/evidence.py) on hand-made posts."""

import math

import numpy as np
import pandas as pd
import pytest

from helpers.method import evidence


def _posts(rates, reach=1000):
    num = np.array([r * reach for r in rates], dtype=float)
    return num, np.full(len(rates), float(reach))


def test_a_three_post_slot_is_too_few_and_gets_no_interval():
    keys = pd.DataFrame({"slot": ["a"] * 3 + ["b"] * 20})
    num, den = _posts([0.2] * 3 + [0.05, 0.06, 0.04, 0.05] * 5)
    table = evidence.compare_groups(keys, num, den, "ratio_of_sums", 0.05, evidence.Rule(min_posts=5))
    a = table.set_index("slot").loc["a"]
    assert a["verdict"] == "too_few" and math.isnan(a["low"])
    # the slot with more posts ranks first even though its rate is lower
    assert table["slot"].tolist() == ["b", "a"]


def test_an_interval_that_includes_the_reference_is_not_distinguishable():
    rng = np.random.default_rng(1)
    rates = rng.normal(0.05, 0.03, 12).clip(0)
    num, den = _posts(rates)
    low, high = evidence.interval(num, den, "ratio_of_sums")
    assert low < 0.05 < high
    assert evidence.verdict(12, low, high, 0.05, 5) == "not_distinguishable"
    assert evidence.verdict(12, 0.06, 0.09, 0.05, 5) == "above"
    assert evidence.verdict(12, 0.01, 0.04, 0.05, 5) == "below"
    assert evidence.verdict(4, 0.06, 0.09, 0.05, 5) == "too_few"


def test_unknown_denominators_are_left_out_not_zero():
    num = np.array([10.0, 20.0, 5.0])
    den = np.array([100.0, np.nan, 100.0])
    assert evidence.rate(num, den, "ratio_of_sums") == pytest.approx(15 / 200)
    assert evidence.rate(num, den, "mean_of_rates") == pytest.approx(0.075)


def test_a_rising_series_is_a_rise_and_a_flat_noisy_one_is_not():
    rng = np.random.default_rng(3)
    before = _posts(rng.normal(0.04, 0.01, 40).clip(0))
    rising = _posts(rng.normal(0.065, 0.01, 40).clip(0))
    flat = _posts(rng.normal(0.041, 0.02, 40).clip(0))
    up = evidence.change(before, rising, "ratio_of_sums")
    assert up["direction"] == "rise" and up["low"] > 0
    assert evidence.change(before, flat, "ratio_of_sums")["direction"] == "not_distinguishable"
    few = evidence.change(before, _posts([0.09, 0.08]), "ratio_of_sums")
    assert few["direction"] == "too_few"


def test_the_rule_comes_from_the_brief_and_refuses_nonsense():
    class Analysis:
        min_posts, confidence = 8, 0.9

    rule = evidence.Rule.of(Analysis(), min_posts=None)
    assert (rule.min_posts, rule.confidence) == (8, 0.9)
    with pytest.raises(ValueError, match="confidence"):
        evidence.Rule(confidence=1.5)
    with pytest.raises(ValueError, match="aggregation"):
        evidence.rate(np.ones(2), np.ones(2), "median")
