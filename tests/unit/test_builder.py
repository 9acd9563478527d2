"""The goal builder of 04 and goals scoped to a persona."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml

from helpers.client.brief import Brief, BriefError, load_brief
from helpers.client.brief_edit import GoalExistsError
from helpers.method import goals
from helpers.report.builder import builder
from helpers.run.context import open_run
from tests.conftest import DEMO, workbook


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return open_run("demo", run_dir=str(tmp_path_factory.mktemp("run")), lang="en")


TODAY = dt.date(2026, 12, 2)


def test_builder_starts_from_the_brief_goal_and_checks_it(run):
    draft = builder(run, "ig_community", today=TODAY)
    check = draft.check()
    first = goals.check_goal(run.brief.goals[0], run.brief, run.data.tables, run.end)
    assert (check.kpi, check.scope, check.target) == ("followers", "instagram", pytest.approx(first.target))
    assert check.achievability == first.achievability == "likely"


def _outputs(draft) -> dict:
    """Every output of a draft, each read from what it shows."""
    html = draft.render().markup
    return {"html": html, "heading": html.split('<h3 class="wb-draft-label">')[1].split("</h3>")[0]}


def test_the_label_follows_kpi_scope_and_target_unless_typed(run):
    draft = builder(run, "ig_community", today=TODAY)
    assert _outputs(draft)["heading"] == "Followers Instagram +8%"
    draft.set(target=30)
    shown = _outputs(draft)
    assert shown["heading"] == "Followers Instagram +30%" and "label: Followers Instagram +30%" in shown["html"]
    assert "relative: 0.3" in shown["html"] and "Unrealistic" not in shown["heading"]
    draft.set(scope="facebook")
    assert _outputs(draft)["heading"] == "Followers Facebook +30%"
    assert yaml.safe_load(draft.as_yaml())[0]["id"] == "facebook_followers"
    draft.set(label="Grow Facebook")
    draft.set(target=12)
    assert _outputs(draft)["heading"] == "Grow Facebook" and yaml.safe_load(draft.as_yaml())[0]["label"] == "Grow Facebook"
    draft.set(label="")
    assert _outputs(draft)["heading"] == "Followers Facebook +12%"


def test_every_output_comes_from_one_draft(run):
    draft = builder(run, "ig_community", today=TODAY)
    draft.set(target=200.0)  # tripling in a quarter
    d = draft.draft()
    shown = _outputs(draft)["html"]
    assert d.check.achievability == "unrealistic" and "Unrealistic" in shown or "unrealistic" in shown
    assert d.check.label == d.label and yaml.safe_load(draft.as_yaml())[0]["label"] == d.label
    assert "wb-bad" in shown  # the class is coloured, the failing A marked
    assert shown.count('class="wb-letter wb-pass"') == 4 and shown.count('class="wb-letter wb-fail"') == 1


def test_switching_between_percent_and_value_converts_through_the_baseline(run):
    draft = builder(run, "ig_community", today=TODAY)  # followers +8 % on 11,053
    base = draft.baseline()
    assert base == pytest.approx(11053)
    draft.set(mode="value")
    assert draft.state["target"] == pytest.approx(base * 1.08, abs=0.01)
    assert draft.draft().check.target == pytest.approx(base * 1.08, abs=0.01)
    draft.set(mode="relative")
    assert draft.state["target"] == pytest.approx(8.0, abs=1e-6)
    rate = builder(run, "ig_engagement", today=TODAY)  # a rate: values typed in percent
    rate.set(mode="value")
    assert rate.state["target"] == pytest.approx(rate.draft().check.target * 100, abs=1e-3)


@pytest.mark.parametrize(
    ("start", "values", "field", "reason"),
    [
        ("ig_community", {"mode": "value", "target": -5}, "Target", "cannot be negative"),
        ("ig_community", {"mode": "relative", "target": -5}, "Target", "below the baseline"),
        ("ig_community", {"mode": "value", "target": 30}, "Target", "30 is below the baseline of 11,053"),
        ("ig_engagement", {"mode": "value", "target": 150}, "Target", "between 0% and 100%"),
        ("ig_engagement", {"mode": "relative", "target": 3000}, "Target", "between 0% and 100%"),
        ("ig_community", {"deadline": None}, "Deadline", "valid date"),
    ],
)
def test_impossible_targets_show_an_error_card_naming_the_field(run, start, values, field, reason):
    draft = builder(run, start, today=TODAY)
    draft.set(**values)
    d = draft.draft()
    assert not d.ok and d.check is None
    html = draft.render().markup
    assert "Not a valid goal yet" in html and f"{field}: " in html and reason in html, html
    assert "<pre" not in html  # no YAML for a goal that is not one
    with pytest.raises(ValueError, match=reason.split()[0]):
        draft.save()


def test_lower_is_better_kpis_aim_below_their_baseline(run):
    draft = builder(run, today=TODAY)
    draft.set(kpi="response_time_median", scope="all", mode="relative", target=10)
    assert "above the baseline" in draft.render().markup
    draft.set(target=-10)
    assert draft.draft().ok


@pytest.mark.parametrize(
    ("deadline", "message", "said"),
    [
        (dt.date(2025, 6, 30), "smart.timebound_before_data", "before the first month of data"),
        (dt.date(2026, 10, 15), "smart.timebound_past", "not after the end of the analysed data"),
        (dt.date(2026, 11, 20), "smart.timebound_today", "has already passed (today is Dec 2, 2026)"),
        (dt.date(2028, 1, 31), "smart.timebound_after", "after the end of the plan (Mar 31, 2027)"),
    ],
)
def test_a_deadline_fails_t_with_its_precise_reason_and_no_class(run, deadline, message, said):
    draft = builder(run, "ig_community", today=TODAY)
    draft.set(deadline=deadline)
    check = draft.check()
    assert check.letters["T"] == {**check.letters["T"], "pass": False, "message": message}
    assert check.achievability == "unknown" and check.letters["A"]["message"] == "smart.achievable_blocked"
    html = draft.render().markup
    assert said in html and "not assessed" in html


@pytest.mark.parametrize("target", [5.0, 30.0, 200.0])
def test_a_goal_failing_a_letter_is_never_given_a_confident_class(run, target):
    draft = builder(run, "ig_community", today=TODAY)
    draft.set(target=target, business_objective=None)  # R fails: tied to no business objective
    check = draft.check()
    assert not check.letters["R"]["pass"] and check.achievability == "unknown"
    assert "fails R first" in draft.render().markup


def test_widgets_update_every_output_as_the_strategist_types(run):
    draft = builder(run, "ig_community", today=TODAY)
    draft.widget()
    controls, result = draft._controls, draft._result
    assert controls["target"].continuous_update and controls["label"].continuous_update
    before = result.value
    controls["target"].value = 30.0
    assert result.value != before and "Followers Instagram +30%" in result.value and "relative: 0.3" in result.value
    controls["scope"].value = "facebook"
    assert "Followers Facebook +30%" in result.value and "scope: facebook" in result.value
    controls["mode"].value = "value"
    assert controls["target"].value == pytest.approx(draft.baseline() * 1.3, abs=0.01)
    draft.set(target=20000.0)
    assert controls["target"].value == 20000.0 and "value: 20000.0" in result.value


def test_static_rendering_stands_beside_the_widget(run):
    bundle = builder(run, today=TODAY)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    html = bundle["text/html"]
    assert "wb-card" in html and "S · Specific" in html and "<style>" in html and "✓" in html
    assert "Save to brief" not in html  # the button lives in the widget only


def test_the_yaml_it_gives_is_a_valid_goal_of_the_brief(run):
    draft = builder(run, "social_sqls", today=TODAY)
    draft.set(target=25.0)
    pasted = yaml.safe_load(draft.as_yaml())
    raw = load_brief(DEMO / "brief.yaml").model_dump(mode="json")
    raw["goals"] = [*raw["goals"], *pasted]
    brief = Brief.model_validate(raw)
    assert brief.goals[-1].target.relative == pytest.approx(0.25)
    assert brief.goals[-1].id == f"{brief.goals[-1].scope}_sqls"


# ------------------------------------------------------------------ saving into the brief
@pytest.fixture
def client_run(demo_copy, tmp_path):
    return open_run("demo", str(demo_copy.parent), str(tmp_path / "run"), lang="en")


def test_save_writes_the_goal_and_keeps_every_other_byte(client_run, demo_copy):
    brief = demo_copy / "brief.yaml"
    original = brief.read_bytes()
    draft = builder(client_run, "fb_engagement", today=TODAY)
    draft.set(target=25.0, id="fb_engagement_q1")
    saved = draft.save()
    assert saved.path == brief and not saved.replaced and saved.backup.read_bytes() == original
    new = brief.read_bytes()
    added = yaml.safe_dump([draft.as_dict()], allow_unicode=True, sort_keys=False, width=1000)
    added = "".join("  " + line for line in added.splitlines(keepends=True)).encode()
    start = new.index(b"  - id: fb_engagement_q1")
    assert new[:start] + new[start + len(added):] == original  # byte for byte outside the new goal
    assert new.splitlines()[saved.line - 1] == b"  - id: fb_engagement_q1"
    assert load_brief(brief).goals[-1].target.relative == pytest.approx(0.25)
    checked = workbook("check", "demo", "--clients-dir", str(demo_copy.parent))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_save_refuses_a_taken_id_until_confirmed(client_run, demo_copy):
    brief = demo_copy / "brief.yaml"
    original = brief.read_bytes()
    draft = builder(client_run, "ig_community", today=TODAY)
    draft.set(id="ig_community", target=12.0)
    with pytest.raises(GoalExistsError, match="'ig_community' already exists.*confirm"):
        draft.save()
    assert brief.read_bytes() == original and not list(demo_copy.glob("brief.yaml.*.bak"))
    saved = draft.save(replace=True)
    assert saved.replaced and load_brief(brief).goals[0].target.relative == pytest.approx(0.12)
    head = original.split(b"  - id: ig_community")[0]
    tail = original.split(b"  - id: ig_engagement")[1]
    new = brief.read_bytes()
    assert new.startswith(head) and new.endswith(tail)  # the comments around the goal are kept


def test_save_refuses_a_brief_it_would_break(client_run, demo_copy):
    brief = demo_copy / "brief.yaml"
    original = brief.read_bytes()
    draft = builder(client_run, today=TODAY)
    draft.set(scope="instagram", business_objective="online_sales", id="bad id!")
    with pytest.raises(BriefError, match="goal id 'bad id!'"):
        draft.save()
    assert brief.read_bytes() == original


def test_the_save_button_says_where_it_wrote(client_run, demo_copy):
    draft = builder(client_run, "ig_community", today=TODAY)
    draft.widget()
    draft.set(id="ig_community")
    draft._save_clicked()
    assert "Not saved" in draft._message.value and "already exists" in draft._message.value
    draft._replace.value = True
    draft._save_clicked()
    assert "Replaced the goal of the same id in" in draft._message.value and ".bak" in draft._message.value
    assert not draft._replace.value  # confirmation is asked again for the next save


def _persona_brief(scope: str) -> Brief:
    raw = load_brief(DEMO / "brief.yaml").model_dump(mode="json")
    goal = {"id": "clara_leads", "objective": "leads", "kpi": "leads", "scope": scope,
            "target": {"relative": 0.2}, "deadline": "2027-03-31", "business_objective": "online_sales"}
    raw["goals"] = [goal]
    return Brief.model_validate(raw)


def test_a_goal_can_aim_at_a_persona_of_the_brief(run):
    brief = _persona_brief("persona:Clara, la convertie au naturel")
    tables = {**run.data.tables, "leads": pd.DataFrame({
        "date": pd.date_range("2026-01-01", periods=10, freq="MS").repeat(2),
        "channel": "instagram",
        "leads": [10, 3] * 10, "sqls": [2, 1] * 10, "revenue": 0.0,
        "persona": ["Clara, la convertie au naturel", "Hélène, la fidèle de la boutique"] * 10,
    })}
    check = goals.check_goal(brief.goals[0], brief, tables, dt.date(2026, 10, 31))
    assert check.letters["S"]["pass"] and check.letters["M"]["pass"]
    assert check.baseline == pytest.approx(10.0)  # Clara's leads only, mean of the last 3 months
    no_persona = {**tables, "leads": tables["leads"].drop(columns="persona")}
    check = goals.check_goal(brief.goals[0], brief, no_persona, dt.date(2026, 10, 31))
    assert check.letters["S"]["pass"] and not check.letters["M"]["pass"]


def test_an_unknown_persona_scope_is_named(tmp_path):
    raw = load_brief(DEMO / "brief.yaml").model_dump(mode="json")
    raw["goals"][0]["scope"] = "persona:Nobody"
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BriefError, match="scope 'persona:Nobody'.*persona:Clara"):
        load_brief(path)
