"""Time the study: every notebook for the five cities, per notebook and in total.

    python benchmarks/study.py [--jobs 2] [--city Astana ...] [--out benchmarks/results/study.json]

The run goes to a temporary output root, so the repository's reports and exhibits are untouched.
Beside the study it times a *peer* in the same run: the same number of papermill executions of a
notebook that only starts a kernel and imports the helpers. The ratio study / peer says how much
of the study's time is its own work rather than kernel start-up. On a machine shared with other
work the wall times depend on the load (recorded before, between and after); the CPU seconds of
each execution (its kernel's and its worker's) depend on it much less and are recorded beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from helpers.registers import paths
from helpers.registers.regions import study_cities
from helpers.run import runner as run

RESULTS = Path(__file__).resolve().parent / "results"


def time_study(cities: list[str], jobs: int, root: Path) -> tuple[float, list[run.Outcome]]:
    tasks = run.plan(run.notebook_names(), cities, {"lang": "en"})
    started = time.perf_counter()
    outcomes = run.run(tasks, root, jobs, timeout=600, stream=sys.stderr)
    return time.perf_counter() - started, outcomes


def time_peer(count: int, jobs: int, root: Path) -> tuple[float, list[run.Outcome]]:
    """``count`` executions of a minimal notebook (kernel start + ``import helpers``)."""
    folder = root / "peer-notebooks"
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    cell = nbformat.v4.new_code_cell('city = "Astana"')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("import helpers.run.params")]
    nbformat.write(nb, folder / "02_peer.ipynb")
    original = paths.NOTEBOOKS
    os.environ["STUDY_NOTEBOOKS"] = str(folder)  # read by the spawned workers
    try:
        paths.NOTEBOOKS = folder
        tasks = [run.Task("02_peer", f"peer-{i}", {"city": "Astana"}) for i in range(count)]
        started = time.perf_counter()
        outcomes = run.run(tasks, root / "peer", jobs, timeout=600, stream=sys.stderr)
        elapsed = time.perf_counter() - started
    finally:
        paths.NOTEBOOKS = original
        os.environ.pop("STUDY_NOTEBOOKS", None)
    failed = [o for o in outcomes if o.status != "ok"]
    if failed:
        raise RuntimeError(f"the peer notebook failed: {failed[0].error}")
    return elapsed, outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--city", nargs="+", default=[r.slug for r in study_cities()])
    parser.add_argument("--out", type=Path, default=RESULTS / "study.json")
    args = parser.parse_args(argv)
    cities = [run.check_values({"city": c})["city"].slug for c in args.city]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="study-bench-") as tmp:
        wall, outcomes = time_study(cities, args.jobs, Path(tmp) / "study")
        load_between = os.getloadavg()
        peer, peer_outcomes = time_peer(len(outcomes), args.jobs, Path(tmp))
    load_after = os.getloadavg()
    per_notebook: dict[str, float] = defaultdict(float)
    per_notebook_cpu: dict[str, float] = defaultdict(float)
    for outcome in outcomes:
        per_notebook[outcome.task.notebook] += outcome.seconds
        per_notebook_cpu[outcome.task.notebook] += outcome.cpu_seconds
    cpu = sum(per_notebook_cpu.values())
    peer_cpu = sum(o.cpu_seconds for o in peer_outcomes)
    report = {
        "what": "make study's work (python -m helpers.run), environment present",
        "cities": cities,
        "jobs": args.jobs,
        "executions": len(outcomes),
        "failed": sum(o.status != "ok" for o in outcomes),
        "wall_seconds": round(wall, 2),
        "notebook_seconds_total": round(sum(per_notebook.values()), 2),
        "notebook_seconds": {k: round(v, 2) for k, v in sorted(per_notebook.items())},
        "task_seconds": {o.task.label: round(o.seconds, 2) for o in outcomes},
        "cpu_seconds_total": round(cpu, 2),
        "notebook_cpu_seconds": {k: round(v, 2) for k, v in sorted(per_notebook_cpu.items())},
        "task_cpu_seconds": {o.task.label: round(o.cpu_seconds, 2) for o in outcomes},
        "peer": "the same number of executions of a kernel-start-and-import notebook",
        "peer_wall_seconds": round(peer, 2),
        "ratio_study_to_peer": round(wall / peer, 2),
        "peer_cpu_seconds_total": round(peer_cpu, 2),
        "cpu_ratio_study_to_peer": round(cpu / peer_cpu, 2) if peer_cpu else None,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    "load_average_1_5_15min": {
                        "before": [round(x, 2) for x in load_before],
                        "between_study_and_peer": [round(x, 2) for x in load_between],
                        "after": [round(x, 2) for x in load_after]}},
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: report[k] for k in ("wall_seconds", "notebook_seconds",
                                             "notebook_cpu_seconds", "peer_wall_seconds",
                                             "ratio_study_to_peer", "cpu_ratio_study_to_peer",
                                             "failed")}, indent=1))
    print(f"load average before {report['machine']['load_average_1_5_15min']['before']}, "
          f"after {report['machine']['load_average_1_5_15min']['after']}; written to {args.out}")
    return 0 if report["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
