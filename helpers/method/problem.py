"""Step 3, problem statement: which findings of the audit become the problems the goals answer.

The strategist may name them (the brief's ``synthesis.problems``, finding ids); otherwise the
defects (weaknesses and threats) among the most severe findings of step 2 are stated: the first
``analysis.findings`` of its ranking, the same findings that ``findings.json`` marks ``top``.
"""

from __future__ import annotations

from collections.abc import Sequence

from helpers.method.synthesis import top_findings

#: Finding kinds that are defects, hence problems to state.
DEFECTS = ("weakness", "threat")


class UnknownProblemError(ValueError):
    """The brief names a finding that this run did not find."""


def choose_problems(findings: list[dict], chosen: Sequence[str] = (), count: int = 5) -> list[dict]:
    """The problems to state, as findings of ``findings.json``.

    Args:
        findings: the ranked findings of step 2, most severe first.
        chosen: finding ids the strategist chose (the brief's ``synthesis.problems``), in order.
        count: when none is chosen, how many of the most severe findings to consider (the brief's
            ``analysis.findings``, 5; one per subject, as 02 marks them:
            :func:`helpers.method.synthesis.top_findings`): the weaknesses and threats among them
            are the problems,
            in their order; strengths and opportunities among them are not stated. A ranking
            whose top ``count`` findings hold no defect gives no problem.

    Raises:
        UnknownProblemError: a chosen id is not among the findings (the message lists those found).
    """
    if chosen:
        by_id = {f["id"]: f for f in findings}
        unknown = [c for c in chosen if c not in by_id]
        if unknown:
            raise UnknownProblemError(
                f"brief.yaml synthesis.problems names {unknown}, not found by 02_synthesis in this run; "
                f"findings of this run: {sorted(by_id)}"
            )
        return [by_id[c] for c in chosen]
    return [findings[i] for i in top_findings(findings, count) if findings[i]["kind"] in DEFECTS]
