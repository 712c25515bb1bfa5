"""`scripts/serve` keeps the task worker running and stops it with gunicorn."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

FAKE_PYTHON = """#!/usr/bin/env bash
# stands for "python": manage.py <command>
log={log}
case "$2" in
  db_worker)
    echo "start $$" >> "$log"
    if [ "$(grep -c '^start' "$log")" -lt 3 ]; then exit 1; fi   # dies twice
    sleep 30 & child=$!
    trap 'echo "stopped $$" >> "$log"; kill $child; exit 0' TERM
    wait $child ;;
  tasks_recover) echo recover >> "$log" ;;
esac
exit 0
"""

FAKE_GUNICORN = """#!/usr/bin/env bash
# stands for gunicorn: serves until the third worker runs, then stops
for _ in $(seq 1 200); do
  [ "$(grep -c '^start' {log} 2>/dev/null)" -ge 3 ] && break
  sleep 0.05
done
sleep 0.3
exit 0
"""


def test_a_worker_that_dies_is_started_again_with_a_back_off_and_stopped_with_gunicorn(
        tmp_path):
    log = tmp_path / "log"
    python, gunicorn = tmp_path / "python", tmp_path / "gunicorn"
    python.write_text(FAKE_PYTHON.format(log=log))
    gunicorn.write_text(FAKE_GUNICORN.format(log=log))
    for script in (python, gunicorn):
        script.chmod(0o755)
    env = {**os.environ, "WORKER_BACKOFF_MIN": "1", "WORKER_BACKOFF_MAX": "2"}
    result = subprocess.run([str(ROOT / "scripts" / "serve"), str(python), str(gunicorn)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = log.read_text().split()
    assert lines.count("start") == 3
    assert lines.count("recover") == 3  # orphaned jobs back in the queue before each start
    assert "starting it again in 1s" in result.stderr
    assert "starting it again in 2s" in result.stderr
    last_worker = log.read_text().split("start ")[-1].split()[0]
    assert f"stopped {last_worker}" in log.read_text()  # gunicorn stopped, so did the worker
