"""The portfolio page (reports/index.html): one row per client, escaped, self-contained."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from helpers.run.portfolio import collect, write_portfolio


def fake_run(
    reports: Path, client: str, run_id: str, status: str, clients_dir: Path, tracking: str = ""
) -> Path:
    run = reports / client / run_id
    run.mkdir(parents=True)
    finished = f"{run_id[:4]}-{run_id[4:6]}-{run_id[6:8]}T10:00:00+00:00"
    (run / "run.json").write_text(json.dumps({"client": client, "status": status, "finished": finished}))
    (run / "inputs.json").write_text(json.dumps({"parameters": {"clients_dir": str(clients_dir)}}))
    (run / "index.html").write_text("<p>deliverable</p>")
    if tracking:
        (run / "tracking.csv").write_text("id,label,status\n" + tracking)
    return run


def point(reports: Path, client: str, run_id: str) -> None:
    (reports / client / "latest").symlink_to(run_id, target_is_directory=True)


def test_portfolio_rows_and_page(tmp_path):
    clients, reports = tmp_path / "clients", tmp_path / "reports"
    for name, title, lang in (("acme", "<script>alert('x')</script> & Co", "fr"), ("bravo", "Bravo", "fr")):
        (clients / name).mkdir(parents=True)
        (clients / name / "brief.yaml").write_text(f'client:\n  name: "{title}"\n  lang: {lang}\n')
    fake_run(
        reports, "acme", "20261101-090000", "succeeded", clients, "a,A,on_track\nb,B,at_risk\nc,C,at_risk\n"
    )
    point(reports, "acme", "20261101-090000")
    fake_run(reports, "acme", "20261120-090000", "failed", clients)
    fake_run(reports, "bravo", "20261102-090000", "interrupted", clients)
    (reports / "README.md").write_text("not a client")
    (reports / "empty").mkdir()

    rows = collect(reports)
    assert [r.folder for r in rows] == ["acme", "bravo"]
    acme, bravo = rows
    assert acme.goals == {"on_track": 1, "at_risk": 2} and acme.latest_run == "20261101-090000"
    assert acme.attempt_status == "failed" and acme.href == "acme/latest/index.html"
    assert bravo.latest_run == "" and bravo.attempt_status == "interrupted"

    page = write_portfolio(reports).read_text(encoding="utf-8")
    assert '<html lang="fr">' in page  # every brief says fr
    assert "<script>" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co" in page
    assert 'href="acme/latest/index.html"' in page
    assert "1 en bonne voie" in page and "2 à risque" in page
    assert "dernière tentative en échec le 20 nov. 2026" in page
    assert "aucun run réussi" in page
    assert not re.search(r"""(src|href)=["']https?://""", page)
    assert not list(reports.glob(".index.html.*"))  # written through a temporary file

    english = write_portfolio(reports, "en").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and "1 on track" in english


def test_empty_reports_folder(tmp_path):
    page = write_portfolio(tmp_path / "reports").read_text(encoding="utf-8")
    assert "No client has been run" in page


def test_portfolio_draws_each_clients_trend_over_runs(tmp_path):
    from helpers.run.history import record_runs
    from helpers.run.portfolio import sparkline
    from tests.unit.test_history import fake_run as history_run

    reports = tmp_path / "reports"
    client = reports / "acme"
    history_run(client, "20261101-090000", fb="500", ig="1000", sov=0.4, goal_status="at_risk")
    point(reports, "acme", "20261101-090000")
    record_runs(client)
    (first,) = collect(reports)
    assert first.trends == [] and first.goal_changes == []  # one run: nothing to compare
    assert "first run: nothing to compare yet" in write_portfolio(reports, "en").read_text(encoding="utf-8")

    history_run(client, "20261201-090000", fb="500", ig="1300", sov=0.41, goal_status="on_track")
    (client / "latest").unlink()
    point(reports, "acme", "20261201-090000")
    record_runs(client)
    (row,) = collect(reports)
    followers, sov = row.trends
    assert (followers.kpi, followers.scope, followers.values, followers.direction) == (
        "followers",
        "total",
        [1500, 1800],
        "up",
    )
    assert sov.direction == "stable"  # +2.5 % is under the brief's change_threshold (10 %)
    assert row.goal_changes == [("at_risk", "on_track", 1)]
    page = write_portfolio(reports, "en").read_text(encoding="utf-8")
    assert "<polyline points=" in page and "Followers (all networks): 1,800, ↑ +20.0%" in page
    assert "1 goal: at risk → on track" in page
    french = write_portfolio(reports, "fr").read_text(encoding="utf-8")
    assert "1 objectif\u202f: à risque → en bonne voie" in french and "tous réseaux" in french

    (client / "history.csv").write_text("not,a,history\n")  # unreadable history: no trend, no failure
    (row,) = collect(reports)
    assert row.trends == [] and row.goals == {"on_track": 1}
    assert sparkline([1.0, math.nan]) == "" and sparkline([2.0, 2.0]) == "1.0,10.0 79.0,10.0"
