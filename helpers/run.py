"""Run the study: every notebook, once or per city, with papermill.

    python -m helpers.run                      # all notebooks, the article's five cities
    python -m helpers.run --city Almaty --lang kk
    python -m helpers.run --notebooks 02 04 --city Шымкент --jobs 2
    python -m helpers.run --list               # show the plan and exit

The notebooks and their order come from the report contract (``helpers/contract.yaml``). A
notebook that declares a ``city`` parameter runs once per city; the others run once, for the
whole country (their outputs go to ``reports/kazakhstan/``). A notebook waits for the tasks of
the notebooks whose reports it reads (``reads_reports`` in the contract); all other tasks may
start at once. Each task
writes ``reports/<slug>/<notebook>.ipynb``, its HTML rendering, and the JSON
the notebook saves itself. A failed task is reported with its city, notebook, cell and exception,
its executed notebook kept as ``<notebook>.failed.ipynb``; the earlier good outputs stay in place,
the other tasks still run, and the command exits with status 1.

Kernels run with the ZeroMQ ``ipc`` transport on private socket files, so parallel jobs never
race for the same TCP port (a known failure of parallel papermill runs).
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import multiprocessing
import os
import sys
import tempfile
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from helpers import contract, paths
from helpers.params import LANGUAGES, ParameterError, check_values, declared_parameters
from helpers.regions import study_cities

KERNEL = "python3"


@dataclass(frozen=True)
class Task:
    """One notebook execution: a notebook, for one city or (``city=None``) for the country."""

    notebook: str
    city: str | None
    parameters: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def slug(self) -> str:
        return self.city or paths.NATIONAL

    @property
    def label(self) -> str:
        return f"{self.notebook} · {self.slug}"


@dataclass
class Outcome:
    task: Task
    status: str  # "ok" or "failed"
    seconds: float
    output: str
    error: str = ""


def notebook_names() -> list[str]:
    """The notebook sequence, in the contract's run order; every numbered notebook in
    ``notebooks/`` must be declared there and every declared one must exist."""
    names = contract.sequence()
    files = {p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    undeclared = sorted(files - set(names))
    if undeclared:
        raise contract.ContractError(
            f"notebook(s) {undeclared} in {paths.NOTEBOOKS} are not declared in "
            "helpers/contract.yaml: add an entry for each under `notebooks:` (in run order), "
            f"then run `{contract.REGENERATE}`.")
    absent = [n for n in names if n not in files]
    if absent:
        raise contract.ContractError(
            f"helpers/contract.yaml declares {absent}, which have no file in {paths.NOTEBOOKS}: "
            "create the notebook or remove its entry.")
    return names


def select_notebooks(wanted: list[str] | None) -> list[str]:
    """Resolve ``--notebooks`` (numbers such as ``02`` or full names) to notebook names."""
    names = notebook_names()
    if not wanted:
        return names
    chosen = []
    for item in wanted:
        match = [n for n in names if n == item or n.split("_", 1)[0] == item]
        if not match:
            raise ParameterError(f"Unknown notebook {item!r}. Valid choices: {', '.join(names)} "
                                 "(or their numbers).")
        chosen += [m for m in match if m not in chosen]
    return [n for n in names if n in chosen]


def plan(notebooks: list[str], cities: list[str], options: dict) -> list[Task]:
    """The tasks to run, in order; options are passed only to notebooks that declare them."""
    tasks = []
    for name in notebooks:
        declared = declared_parameters(name)
        given = {k: v for k, v in options.items() if k in declared and v is not None}
        if "city" in declared:
            tasks += [Task(name, city, {**given, "city": city}) for city in cities]
        else:
            if "cities" in declared:
                given["cities"] = list(cities)
            tasks.append(Task(name, None, given))
    return tasks


def dependencies(tasks: list[Task]) -> dict[Task, list[Task]]:
    """Which tasks each task waits for: those of the notebooks whose reports it reads
    (``reads_reports`` in the contract). A notebook outside the contract waits for nothing."""
    declared = contract.load()
    return {task: [t for t in tasks if task.notebook in declared
                   and t.notebook in declared[task.notebook].reads_reports]
            for task in tasks}


def _kernel_manager_class():
    from jupyter_client.manager import KernelManager

    class PrivateSocketKernelManager(KernelManager):
        """A kernel on ZeroMQ ``ipc`` sockets in a private temporary path: no TCP port races."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = os.path.join(tempfile.gettempdir(), f"sck-{uuid.uuid4().hex[:12]}")

    return PrivateSocketKernelManager


def _cell_text(notebook: Path, count: int) -> str:
    """``cell [count] `first line``` for the cell that failed with execution count ``count``."""
    import nbformat

    try:
        cell = next(c for c in nbformat.read(notebook, as_version=4).cells
                    if c.get("execution_count") == count)
    except (OSError, StopIteration, ValueError):
        return f"cell In [{count}]"
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    return f"cell In [{count}] `{first[:60]}`"


def execute(task: Task, output_root: str, timeout: int) -> Outcome:
    """Execute one task with papermill (in a worker process) and render its HTML."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    os.environ[paths.OUTPUT_ROOT_VARIABLE] = output_root
    os.environ.setdefault("MPLBACKEND", "Agg")
    folder = paths.reports_dir(task.slug)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{task.notebook}.ipynb"
    scratch = folder / f".{task.notebook}.running.ipynb"
    started = time.perf_counter()
    status, error = "ok", ""
    try:
        papermill.execute_notebook(
            str(paths.NOTEBOOKS / f"{task.notebook}.ipynb"), str(scratch),
            parameters=task.parameters, kernel_name=KERNEL, cwd=str(paths.NOTEBOOKS),
            execution_timeout=timeout, progress_bar=False, log_output=False,
            kernel_manager_class=_kernel_manager_class(),
        )
    except papermill.PapermillExecutionError as failure:
        status = "failed"
        error = (f"{_cell_text(scratch, failure.exec_count)}: "
                 f"{failure.ename}: {failure.evalue}")
    except Exception as failure:  # kernel died, timeout, bad notebook…
        status = "failed"
        error = f"{type(failure).__name__}: {failure}".strip()
    seconds = time.perf_counter() - started
    target = final if status == "ok" else folder / f"{task.notebook}.failed.ipynb"
    if scratch.exists():
        os.replace(scratch, target)
        body, _ = HTMLExporter(template_name="lab").from_notebook_node(
            nbformat.read(target, as_version=4))
        target.with_suffix(".html").write_text(body, encoding="utf-8")
        if status == "ok":
            for stale in (folder / f"{task.notebook}.failed.ipynb",
                          folder / f"{task.notebook}.failed.html"):
                stale.unlink(missing_ok=True)
    return Outcome(task, status, seconds, str(target.relative_to(Path(output_root))), error)


def run(tasks: list[Task], output_root: Path, jobs: int, timeout: int,
        stream=sys.stdout) -> list[Outcome]:
    """Run the tasks with up to ``jobs`` worker processes, respecting their dependencies."""
    waits = dependencies(tasks)
    done: dict[Task, Outcome] = {}
    pending = list(tasks)
    running: dict[futures.Future, Task] = {}
    context = multiprocessing.get_context("spawn")
    total = len(tasks)
    with futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        while pending or running:
            for task in [t for t in pending if all(w in done for w in waits[t])]:
                if len(running) >= jobs:
                    break
                pending.remove(task)
                running[pool.submit(execute, task, str(output_root), timeout)] = task
                print(f"[start] {task.label}", file=stream, flush=True)
            finished, _ = futures.wait(running, return_when=futures.FIRST_COMPLETED)
            for future in finished:
                task = running.pop(future)
                try:
                    outcome = future.result()
                except Exception:  # the worker itself broke
                    outcome = Outcome(task, "failed", 0.0, "", traceback.format_exc(limit=2))
                done[task] = outcome
                mark = "ok" if outcome.status == "ok" else "FAILED"
                print(f"[{len(done)}/{total}] {task.label}: {mark} in {outcome.seconds:.1f} s"
                      + (f" — {outcome.error}" if outcome.error else ""), file=stream, flush=True)
    return [done[t] for t in tasks]


def summary(outcomes: list[Outcome]) -> str:
    """A plain-text table: notebook, city, status, seconds, output."""
    rows = [("notebook", "city", "status", "seconds", "output")]
    rows += [(o.task.notebook, o.task.slug, o.status, f"{o.seconds:.1f}", o.output)
             for o in outcomes]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    failed = [o for o in outcomes if o.status != "ok"]
    total = sum(o.seconds for o in outcomes)
    lines.append(f"\n{len(outcomes) - len(failed)} of {len(outcomes)} notebooks ran; "
                 f"{len(failed)} failed; {total:.1f} s of notebook time.")
    for o in failed:
        lines.append(f"FAILED {o.task.notebook} for {o.task.slug}: {o.error} "
                     f"(see {o.output or 'the log above'})")
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m helpers.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--city", nargs="+", metavar="NAME",
                   help="one or more cities or regions, in English, Kazakh or Russian "
                        "(default: the article's five: Astana Almaty Shymkent Karaganda Aktobe)")
    p.add_argument("--lang", default="en", help=f"label language: {', '.join(LANGUAGES)}")
    p.add_argument("--notebooks", nargs="+", metavar="NN",
                   help="a subset, by number (02) or name (02_innovation_activity)")
    p.add_argument("--seed", type=int, help="override every notebook's seed")
    p.add_argument("--n-boot", type=int, dest="n_boot", help="override the bootstrap resamples")
    p.add_argument("--source", help="survey data for 06: 'synthetic' (default) or a city whose "
                                    "responses are in data/survey/<city>.csv")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="notebooks run at once (default: %(default)s)")
    p.add_argument("--timeout", type=int, default=600, help="seconds a cell may take")
    p.add_argument("--output", type=Path, default=None,
                   help="folder that receives reports/ and figures/ (default: the repository)")
    p.add_argument("--list", action="store_true", help="print the plan and exit")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.jobs < 1 or args.timeout < 1:
            raise ParameterError("--jobs and --timeout must be at least 1.")
        names = args.city or [r.name_en for r in study_cities()]
        checked = check_values({"cities": names, "lang": args.lang,
                                **({"seed": args.seed} if args.seed is not None else {}),
                                **({"n_boot": args.n_boot} if args.n_boot is not None else {}),
                                **({"source": args.source} if args.source is not None else {})})
        cities = list(dict.fromkeys(r.slug for r in checked["cities"]))
        notebooks = select_notebooks(args.notebooks)
        options = {"lang": args.lang, "seed": args.seed, "n_boot": args.n_boot,
                   "source": checked.get("source")}
        tasks = plan(notebooks, cities, options)
    except (ParameterError, contract.ContractError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    output_root = (args.output or paths.output_root()).resolve()
    print(f"Study run: {len(tasks)} notebook executions, cities {', '.join(cities)}, "
          f"language {args.lang}, {args.jobs} job(s); outputs under {output_root}", flush=True)
    if args.list:
        for task in tasks:
            print(f"  {task.label}  {task.parameters}")
        return 0
    started = time.perf_counter()
    outcomes = run(tasks, output_root, args.jobs, args.timeout)
    print()
    print(summary(outcomes))
    print(f"Wall time {time.perf_counter() - started:.1f} s.")
    return 0 if all(o.status == "ok" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
