"""`make demo`'s step runner (scripts/steps.sh): one line per step, the whole output in a
log file, and a failing step's own output shown in full. Real make, real shell."""

from __future__ import annotations

import subprocess
from pathlib import Path

STEPS = Path(__file__).resolve().parents[1] / "scripts" / "steps.sh"

MAKEFILE = """\
quiet:
\t@for i in $$(seq 1 500); do echo "chatter line $$i"; done
broken:
\t@echo "2026-12-04 - dagster - DEBUG - refresh_warehouse - noise"
\t@echo "dbt build failed: Database Error in model fct_invoices (relation missing)"
\t@exit 3
never:
\t@echo "must not run"
"""


def run_steps(tmp_path: Path, *targets: str) -> tuple[subprocess.CompletedProcess, Path]:
    (tmp_path / "Makefile").write_text(MAKEFILE)
    log = tmp_path / "logs" / "demo.log"
    proc = subprocess.run([str(STEPS), str(log), *targets], cwd=tmp_path, capture_output=True,
                          text=True, check=False)  # fmt: skip
    return proc, log


def test_steps_print_one_line_each_and_log_everything(tmp_path):
    proc, log = run_steps(tmp_path, "quiet", "quiet")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"Full log: {log}"
    assert lines[1].startswith("[1/2] quiet") and lines[1].split()[-2:][1] == "s"
    assert lines[2].startswith("[2/2] quiet") and " ok " in lines[2]
    assert lines[3].startswith("Done in ") and len(lines) == 4
    assert "chatter" not in proc.stdout
    assert log.read_text().count("chatter line 500") == 2


def test_a_failing_step_shows_its_error_in_full_and_stops(tmp_path):
    proc, log = run_steps(tmp_path, "quiet", "broken", "never")
    assert proc.returncode == 2  # make exits 2 when a recipe fails
    assert "[2/3] broken    FAILED after" in proc.stdout
    assert "dbt build failed: Database Error in model fct_invoices (relation missing)" in (
        proc.stdout
    )
    assert "noise" not in proc.stdout  # Dagster's DEBUG lines stay in the log
    assert f"make broken failed (exit 2). Full log: {log}" in proc.stdout
    assert "must not run" not in proc.stdout + log.read_text()
    assert "- DEBUG - refresh_warehouse - noise" in log.read_text()
