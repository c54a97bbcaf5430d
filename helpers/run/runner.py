"""Run the study: every notebook, once or per city, with papermill.

    python -m helpers.run                      # all notebooks, the article's five cities
    python -m helpers.run --city Almaty --lang kk
    python -m helpers.run --notebooks 02 04 --city Шымкент --jobs 2
    python -m helpers.run --list               # show the plan and exit

The notebooks and their order come from the report contract (``helpers/run/contract.yaml``). A
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
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from helpers.registers import i18n, paths, verdicts
from helpers.registers.i18n import TranslationError
from helpers.registers.regions import study_cities
from helpers.run import contract, translate
from helpers.run.params import LANGUAGES, ParameterError, check_values, declared_parameters
from helpers.run.results import write_text_atomic
from helpers.run.translate import translated_folder

KERNEL = "python3"


@dataclass(frozen=True)
class Task:
    """One notebook execution: a notebook, for one city or (``city=None``) for the country."""

    notebook: str
    city: str | None
    parameters: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def slug(self) -> str:
        return paths.report_slug(self.city, self.parameters.get("source"))

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
            "helpers/run/contract.yaml: add an entry for each under `notebooks:` (in run order), "
            f"then run `{contract.REGENERATE}`.")
    absent = [n for n in names if n not in files]
    if absent:
        raise contract.ContractError(
            f"helpers/run/contract.yaml declares {absent}, which have no file in "
            f"{paths.NOTEBOOKS}: "
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
    # deferred: jupyter_client loads only when this function runs (kernel start-up time)
    from jupyter_client.manager import AsyncKernelManager

    class PrivateSocketKernelManager(AsyncKernelManager):
        """A kernel on ZeroMQ ``ipc`` sockets in a private temporary path: no TCP port races."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = os.path.join(tempfile.gettempdir(), f"sck-{uuid.uuid4().hex[:12]}")

        async def _async_interrupt_kernel(self):
            # jupyter_client interrupts every kernel before shutting it down; an idle kernel then
            # prints "KeyboardInterrupt caught in kernel" after a run that went well. A kernel
            # still busy at shutdown gets the shutdown request, then SIGTERM, then SIGKILL.
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return PrivateSocketKernelManager


def kernel_problem(kernel: str = KERNEL) -> str | None:
    """Why the kernelspec ``kernel`` would not run this environment's Python, or ``None``.

    jupyter_client starts a kernelspec whose command is plain ``python`` with the interpreter that
    runs the runner; a kernelspec elsewhere on the Jupyter path (a user's ``~/.local/share/jupyter``
    or ``JUPYTER_PATH``) that names another interpreter shadows the project's and would run the
    notebooks with other packages.
    """
    # deferred: jupyter_client loads only when this function runs (kernel start-up time)
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        return (f"no Jupyter kernelspec named {kernel!r} is installed; install one for this "
                f"environment with `{sys.executable} -m ipykernel install --sys-prefix`.")
    command = spec.argv[0] if spec.argv else ""
    names = {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}."
             f"{sys.version_info[1]}"}
    if command in names:
        return None  # jupyter_client substitutes sys.executable
    try:
        prefix = subprocess.run([command, "-c", "import sys; print(sys.prefix)"], text=True,
                                capture_output=True, timeout=60, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError) as failure:
        prefix = f"unusable ({type(failure).__name__})"
    if prefix and Path(prefix).resolve() == Path(sys.prefix).resolve():
        return None
    return (f"the Jupyter kernelspec {kernel!r} in {spec.resource_dir} starts {command} "
            f"(sys.prefix {prefix}), not this environment's Python (sys.prefix {sys.prefix}): it "
            f"shadows the project's kernel. Remove it (`jupyter kernelspec remove {kernel}`) or "
            f"point it here (`{sys.executable} -m ipykernel install --user`).")


def _cell_text(notebook: Path, count: int) -> str:
    """``cell [count] `first line``` for the cell that failed with execution count ``count``."""
    # deferred: nbformat loads only when this function runs (kernel start-up time)
    import nbformat

    try:
        cell = next(c for c in nbformat.read(notebook, as_version=4).cells
                    if c.get("execution_count") == count)
    except (OSError, StopIteration, ValueError):
        return f"cell In [{count}]"
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    return f"cell In [{count}] `{first[:60]}`"


_STOP = None
"""In a worker process: the event the runner sets on Ctrl-C (no new notebook starts after it)."""


def _worker_start(stop) -> None:
    """Worker initializer: idle workers ignore Ctrl-C; :func:`execute` listens while it runs."""
    global _STOP
    _STOP = stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _interrupt_once(signum, frame):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not break the clean-up
    logging.disable(logging.CRITICAL)  # the kernel's shutdown would log "Kernel died" and more
    raise KeyboardInterrupt


def execute(task: Task, output_root: str, timeout: int) -> Outcome:
    """Execute one task with papermill (in a worker process) and render its HTML.

    On Ctrl-C the kernel is shut down, the scratch notebook removed and the task reported as
    ``interrupted``: the earlier outputs stay, and no half-written file is left.
    """
    if _STOP is not None:
        if _STOP.is_set():
            return Outcome(task, "interrupted", 0.0, "", "not started")
        signal.signal(signal.SIGINT, _interrupt_once)
    try:
        return _execute(task, output_root, timeout)
    except KeyboardInterrupt:
        folder = Path(output_root) / "reports" / task.slug
        (folder / f".{task.notebook}.running.ipynb").unlink(missing_ok=True)
        return Outcome(task, "interrupted", 0.0, "", "interrupted")
    finally:
        if _STOP is not None:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def relative_paths(text: str) -> str:
    """``text`` with the output root and the checkout written relative to themselves.

    An executed notebook is published (its HTML, the site): it must not show the folders of the
    machine that ran it (the outputs folder printed by ``setup``, a report's path, the source file
    of a warning, papermill's input and output paths)."""
    for folder in sorted({str(paths.output_root()), str(paths.ROOT)}, key=len, reverse=True):
        text = text.replace(folder + "/", "").replace(folder, ".")
    return text


def source_notebook(task: Task) -> Path:
    """The notebook a task executes: ``notebooks/<name>.ipynb`` in English, the generated
    ``notebooks/<lang>/<name>.ipynb`` (same code, translated prose) in another language."""
    return translated_folder(task.parameters.get("lang", "en")) / f"{task.notebook}.ipynb"


def check_translations(tasks: list[Task]) -> None:
    """Refuse (before any kernel starts) a run in a language with a missing sentence or an
    untranslated or fuzzy paragraph of a notebook it would run, naming the key or paragraph and
    the file."""
    for lang in sorted({t.parameters.get("lang", "en") for t in tasks}):
        i18n.require(lang)
        for name in sorted({t.notebook for t in tasks}):
            translate.require(lang, name)
            path = translate.translated_folder(lang) / f"{name}.ipynb"
            if not path.exists():
                raise i18n.TranslationError(f"{path} is missing: run `python -m "
                                            "helpers.run.translate` to write the notebooks in "
                                            f"{lang}.")


def _execute(task: Task, output_root: str, timeout: int) -> Outcome:
    # deferred: nbformat loads only when this function runs (kernel start-up time)
    import nbformat

    # deferred: papermill loads only when this function runs (kernel start-up time)
    import papermill

    # deferred: nbconvert loads only when this function runs (kernel start-up time)
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
            str(source_notebook(task)), str(scratch),
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
        write_text_atomic(target, relative_paths(target.read_text(encoding="utf-8")))
        body, _ = HTMLExporter(template_name="lab").from_notebook_node(
            nbformat.read(target, as_version=4))
        write_text_atomic(target.with_suffix(".html"), body)
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
    stop = context.Event()
    total = len(tasks)
    with futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                     initializer=_worker_start, initargs=(stop,)) as pool:
        try:
            _loop(pool, pending, running, done, waits, total, output_root, jobs, timeout, stream)
        except KeyboardInterrupt:
            # Ctrl-C: start nothing more, let the running notebooks stop and clean up, then
            # tell main (which prints one line). A second Ctrl-C is ignored meanwhile.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            stop.set()
            for future in running:
                future.cancel()
            for process in list(getattr(pool, "_processes", {}).values()):
                if process.pid and process.is_alive():
                    os.kill(process.pid, signal.SIGINT)  # when only the runner got the signal
            futures.wait(running)
            raise
    return [done[t] for t in tasks]


def _loop(pool, pending, running, done, waits, total, output_root, jobs, timeout, stream):
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
            if outcome.status == "interrupted":  # a worker saw Ctrl-C before the runner did
                raise KeyboardInterrupt
            done[task] = outcome
            mark = "ok" if outcome.status == "ok" else "FAILED"
            print(f"[{len(done)}/{total}] {task.label}: {mark} in {outcome.seconds:.1f} s"
                  + (f" — {outcome.error}" if outcome.error else ""), file=stream, flush=True)


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
    p.add_argument("--lang", default="en",
                   help=f"the study's language: {', '.join(LANGUAGES)} (other than en, the "
                        "translated notebooks of notebooks/<lang>/ run, with their sentences, "
                        "labels and figures in that language)")
    p.add_argument("--notebooks", nargs="+", metavar="NN",
                   help="a subset, by number (02) or name (02_innovation_activity)")
    p.add_argument("--seed", type=int, help="override every notebook's seed")
    p.add_argument("--n-boot", type=int, dest="n_boot", help="override the bootstrap resamples")
    p.add_argument("--source", help="survey data for 07: 'synthetic' (default) or a city whose "
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
        verdicts.check_rules_file()
        check_translations(tasks)
    except (ParameterError, contract.ContractError, verdicts.VerdictRuleError,
            TranslationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    output_root = (args.output or paths.output_root()).resolve()
    print(f"Study run: {len(tasks)} notebook executions, cities {', '.join(cities)}, "
          f"language {args.lang}, {args.jobs} job(s); outputs under {output_root}", flush=True)
    if args.list:
        for task in tasks:
            print(f"  {task.label}  {task.parameters}")
        return 0
    problem = kernel_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        outcomes = run(tasks, output_root, args.jobs, args.timeout)
    except KeyboardInterrupt:
        print("Interrupted: the running notebooks were stopped and their partial files removed; "
              "finished outputs are kept.", file=sys.stderr, flush=True)
        return 130
    print()
    print(summary(outcomes))
    print(f"Wall time {time.perf_counter() - started:.1f} s.")
    return 0 if all(o.status == "ok" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
