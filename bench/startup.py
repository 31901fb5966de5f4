"""Desktop start-up: process start → sign-in window shown, and password accepted → main window.

Each run starts fresh processes (offscreen Qt): first a baseline — a bare QApplication
showing an empty QWidget — then Stethos itself, against a demo practice made once (with
the production key-derivation cost) in a temporary folder. Stethos is started with
STETHOS_BENCH_AUTOLOGIN so it signs in by itself and prints timestamps (app/ui/bench_hook.py).

    python bench/startup.py [--runs 7]

Prints JSON: p50/p95 in milliseconds for each figure, the baseline, and the ratio of the
sign-in window's p50 to the baseline's p50. Budgets: sign-in window < 1500 ms, main window
< 1000 ms after the password is accepted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timing import summarise

LOGIN_BUDGET_MS = 1500.0
MAIN_BUDGET_MS = 1000.0
PASSWORD = "bench startup password 2026"
MARK = "STETHOS_BENCH"

BASELINE_CHILD = f"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(480, 360)
window.show()
window.repaint()
def shown():
    print("{MARK} shown %.6f" % time.time(), flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""

STETHOS_CHILD = """
import sys
from pathlib import Path
from app.ui.app import run_desktop
sys.exit(run_desktop(Path(sys.argv[1])))
"""


def run_child(code: str, *args: str, env: dict[str, str]) -> tuple[float, dict[str, float]]:
    """Start `python -c code args`; return its start time and the stamps it printed."""
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    stamps = {}
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == MARK:
            stamps[parts[1]] = float(parts[2])
    if done.returncode != 0 or not stamps:
        raise RuntimeError(f"child failed ({done.returncode}): {done.stderr[-2000:]}")
    return started, stamps


def make_practice(folder: Path) -> Path:
    from app.services.demo import create_demo_practice
    from app.storage.database import PracticePaths

    paths = PracticePaths(folder / "practice")
    create_demo_practice(paths, PASSWORD)  # production KDF: sign-in costs what it costs
    return paths.data_dir


def measure(runs: int) -> dict[str, object]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # An installed app runs from compiled bytecode; some shells here forbid writing it,
    # which would make every start recompile every module. Let the children cache it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    baseline: list[float] = []
    login: list[float] = []
    sign_in: list[float] = []
    main: list[float] = []
    with tempfile.TemporaryDirectory(prefix="stethos-bench-") as temp:
        data_dir = make_practice(Path(temp))
        app_env = {**env, "STETHOS_BENCH_AUTOLOGIN": f"admin:{PASSWORD}"}
        for _ in range(runs):
            started, stamps = run_child(BASELINE_CHILD, env=env)
            baseline.append((stamps["shown"] - started) * 1000)
            started, stamps = run_child(STETHOS_CHILD, str(data_dir), env=app_env)
            login.append((stamps["login_shown"] - started) * 1000)
            sign_in.append((stamps["password_accepted"] - stamps["login_shown"]) * 1000)
            main.append((stamps["main_shown"] - stamps["password_accepted"]) * 1000)
    login_summary, main_summary = summarise(login, 1), summarise(main, 1)
    baseline_summary = summarise(baseline, 1)
    return {
        "runs": runs,
        "login_window_ms": login_summary,
        "main_window_after_login_ms": main_summary,
        "sign_in_ms": summarise(sign_in, 1),
        "baseline": {"bare_qwidget_shown_ms": baseline_summary},
        "ratio": round(login_summary["p50"] / baseline_summary["p50"], 2),
        "budget_ms": {"login_window": LOGIN_BUDGET_MS, "main_window_after_login": MAIN_BUDGET_MS},
        "within_budget": {
            "login_window": login_summary["p95"] < LOGIN_BUDGET_MS,
            "main_window_after_login": main_summary["p95"] < MAIN_BUDGET_MS,
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per figure")
    args = parser.parse_args()
    print(json.dumps(measure(max(1, args.runs)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
