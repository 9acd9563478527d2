"""The portfolio page (reports/index.html): one row per client, escaped, self-contained."""

from __future__ import annotations

import json
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
