"""The "Method" appendix of the deliverables: how the report's figures are obtained, topic by topic.

The report's body says what was found and what to do, in plain words; where it relies on a method
it links to one of these topics (``#method-<topic>``, :func:`helpers.report.pages.common.method_link`).
Each topic's title and paragraph are in the locale files (``method.<topic>.title`` / ``.text``); the
figures they quote come from the brief's ``analysis`` settings and the method's own constants.
"""

from __future__ import annotations

from typing import Any

from helpers.method import evidence
from helpers.method import observation as obs_
from helpers.report.i18n import fmt_number, fmt_percent, t

#: The appendix's topics, in the order it lists them.
TOPICS: tuple[str, ...] = (
    "samples",
    "trends",
    "benchmark",
    "themes",
    "personas",
    "forecasts",
    "influencers",
    "adherence",
    "roi",
)


def method_rows(analysis: Any, lang: str) -> list[dict[str, str]]:
    """The appendix's entries in ``lang``: each topic's ``id``, ``title`` and ``text``.

    Args:
        analysis: the brief's ``analysis`` settings (sample rule, confidence, change threshold).
        lang: ``fr`` or ``en``.
    """
    from helpers.method.personas import K_RANGE  # scikit-learn, loaded only here

    rule = evidence.Rule.of(analysis)
    values = {
        "n": rule.min_posts,
        "level": fmt_percent(rule.confidence, lang, 0),
        "n_boot": fmt_number(rule.n_boot, lang),
        "months": obs_.TREND_MONTHS,
        "threshold": fmt_percent(analysis.change_threshold, lang, 0),
        "k_range": t("method.range", lang, low=min(K_RANGE), high=max(K_RANGE)),
    }
    return [
        {
            "id": topic,
            "title": t(f"method.{topic}.title", lang),
            "text": t(f"method.{topic}.text", lang, **values),
        }
        for topic in TOPICS
    ]
