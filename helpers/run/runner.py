"""Run the study: every notebook, once or per city, with papermill.

    python -m helpers.run                      # all notebooks, the article's five cities
    python -m helpers.run --city Almaty --lang kk
    python -m helpers.run --notebooks 02 04 --city Шымкент --jobs 2
    python -m helpers.run --list               # show the plan and exit

The notebooks and their order come from the report contract (``helpers/run/contract.yaml``). A
notebook that declares a ``city`` parameter runs once per city; the others run once, for the
whole country (their outputs go to ``reports/kazakhstan/``). A notebook waits for the tasks of
the notebooks whose reports it reads (``reads_reports`` in the contract); all other tasks may
start at once, those that more tasks wait for first (:func:`start_order`). Each task
writes ``reports/<slug>/<notebook>.ipynb``, its HTML rendering, and the JSON
the notebook saves itself. A failed task is reported with its city, notebook, cell and exception,
its executed notebook kept as ``<notebook>.failed.ipynb``; the earlier good outputs stay in place,
the other tasks still run, and the command exits with status 1.

Kernels run with the ZeroMQ ``ipc`` transport on private socket files, so parallel jobs never
race for the same TCP port (a known failure of parallel papermill runs).

How a run ends, whatever happens (docs/guarantees.md lists the promises and their tests): Ctrl-C,
SIGTERM and SIGHUP stop it the same way (no new notebook starts, the running kernels are
interrupted and shut down, the workers stopped, leftovers killed, partial files removed; one line;
exit status 130, 143 or 129); a time-out, a full disk or a dying kernel fails the task with one line
naming the notebook, city, cell and cause and leaves no half-written file; the output folder is
checked before any work.
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import ctypes
import errno
import functools
import logging
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from multiprocessing import resource_tracker
from pathlib import Path

from helpers.registers import i18n, paths, verdicts
from helpers.registers.data import DataValidationError, load_codebook
from helpers.registers.i18n import TranslationError
from helpers.registers.regions import study_cities
from helpers.registers.spelling import fold, nfc
from helpers.run import contract, translate
from helpers.run.params import LANGUAGES, ParameterError, check_values, declared_parameters
from helpers.run.report_html import report_html
from helpers.run.results import write_text_atomic
from helpers.run.translate import translated_folder

KERNEL = "python3"

# The run's parallelism is one notebook per worker: each kernel's BLAS runs single-threaded, so
# `--jobs 2` on two cores does not start four threads fighting for them, and the last digits of
# the numbers (BLAS splits sums by thread count) do not depend on how many cores a machine has.
# A value already set in the environment is kept; every report records it (results.environment).
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


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
    cpu_seconds: float = 0.0
    """CPU time of the execution: the kernel's and the worker's (papermill, HTML), user + system."""


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
        key = fold(item).replace(" ", "_")
        if key.isdigit():
            key = key.zfill(2)
        match = [n for n in names if key in (n.casefold(), n.split("_", 1)[0],
                                             n.split("_", 1)[-1].casefold())]
        if not match:
            raise ParameterError(f"Unknown notebook {nfc(item)!r}. Valid choices: "
                                 f"{', '.join(names)} (or their numbers).")
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


def start_order(tasks: list[Task], waits: dict[Task, list[Task]]) -> list[Task]:
    """The order in which ready tasks start: those that more tasks wait for, directly or through
    others, first (notebook 05, which every city's 06 and notebook 08 wait for; then the
    notebooks that 08 reads), then plan order. The tasks nobody waits for (00, 01, 07, and 08
    itself) come last: they run on the other worker beside the last city reports and notebook 08
    instead of first, where nothing needed them, leaving a worker idle at the end.

    Among equals, the first city of each per-city notebook starts before the other cities: it
    computes the national results the others read back from the cache (:mod:`helpers.run.cache`),
    so a second city started beside it would sit idle on the cache's lock."""
    waiters: dict[Task, list[Task]] = {t: [] for t in tasks}
    for task, before in waits.items():
        for t in before:
            waiters[t].append(task)

    @functools.cache
    def behind(task: Task) -> frozenset:
        """Every task that waits for ``task``, directly or through others."""
        return frozenset(waiters[task]).union(*(behind(t) for t in waiters[task]))

    index = {t: i for i, t in enumerate(tasks)}
    first = {}  # notebook -> its first task in plan order
    for task in tasks:
        first.setdefault(task.notebook, task)
    return sorted(tasks, key=lambda t: (-len(behind(t)), first[t.notebook] is not t, index[t]))


@functools.cache
def _kernel_manager_class():
    # deferred: jupyter_client loads only when this function runs (kernel start-up time)
    from jupyter_client.manager import AsyncKernelManager

    class PrivateSocketKernelManager(AsyncKernelManager):
        """A kernel on ZeroMQ ``ipc`` sockets in a private temporary path: no TCP port races.

        The kernel's own log (its stdout and stderr: "KeyboardInterrupt caught in kernel", ZeroMQ
        noise while it stops) goes to a private file, removed with the kernel; the runner reports
        what matters in one line. Shutting down follows jupyter_client's order: a busy kernel is
        interrupted first, then asked to shut down, then sent SIGTERM, then SIGKILL.
        """

        last = None
        """The manager of the latest kernel this process started (for the cause of a death)."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = os.path.join(tempfile.gettempdir(), f"sck-{uuid.uuid4().hex[:12]}")
            self.log_path = f"{self.ip}-kernel.log"
            self.exit_status: int | None = None
            self.stop_now = False  # set when the run is stopped: no graceful wait then
            PrivateSocketKernelManager.last = self

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            with open(self.log_path, "ab") as log:
                kw.setdefault("stdout", log)
                kw.setdefault("stderr", log)
                await super()._async_launch_kernel(kernel_cmd, **kw)

        async def _async_shutdown_kernel(self, now: bool = False, restart: bool = False):
            await super()._async_shutdown_kernel(now=now or self.stop_now, restart=restart)

        shutdown_kernel = _async_shutdown_kernel

        async def _async_interrupt_kernel(self):
            if self.shutting_down and self.stop_now:
                return  # the kernel is killed at once: nothing to interrupt first
            await super()._async_interrupt_kernel()
            if self.shutting_down:
                await __import__("asyncio").sleep(0.2)  # let a busy cell stop before shutdown

        async def _async_cleanup_resources(self, restart: bool = False):
            if self.provisioner is not None and self.provisioner.has_process:
                self.exit_status = await self.provisioner.poll()
            try:
                await super()._async_cleanup_resources(restart=restart)
            finally:
                if not restart:
                    Path(self.log_path).unlink(missing_ok=True)

        cleanup_resources = _async_cleanup_resources  # nbclient calls the public name

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


_CURRENT: dict = {}
"""In a worker: the cell papermill started last (``number``, ``cell``), kept in memory so that a
failure can name it even when the scratch notebook on disk is cut short."""


@functools.cache
def _engine() -> str:
    """A papermill engine (registered as ``study``) that remembers the cell it starts and writes
    the executed notebook once, when the execution ends.

    papermill rewrites the whole notebook file before and after every cell (twice per cell, its
    outputs and figures included: about 5 CPU-s over the study's 25 executions). Here those
    per-cell writes are skipped; papermill's ``notebook_complete`` still writes the notebook when
    the execution ends, whether it succeeded, a cell raised, timed out or the kernel died, so a
    failed run keeps every output produced before the failure."""
    # deferred: papermill loads only when this function runs (kernel start-up time)
    from papermill.engines import NBClientEngine, papermill_engines

    class RememberingEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            start = nb_man.cell_start

            def cell_start(cell, cell_index=None, **kw):
                _CURRENT.update(number=(cell_index or 0) + 1, cell=cell)
                return start(cell, cell_index, **kw)

            nb_man.cell_start = cell_start
            nb_man.save = lambda **kw: None  # the per-cell writes; restored below
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            finally:
                del nb_man.save  # the class's save again, for notebook_complete

    papermill_engines.register("study", RememberingEngine)
    return "study"


def _cell_text(notebook: Path, count: int | None = None) -> str:
    """``cell In [count] `first line``` for the cell with execution count ``count`` (default: the
    last cell papermill started), or ``""`` when neither memory nor the scratch notebook tell."""
    # deferred: nbformat loads only when this function runs (kernel start-up time)
    import nbformat

    try:
        if count is None:
            number, cell = _CURRENT["number"], _CURRENT["cell"]
        else:
            number, cell = next((n, c) for n, c in enumerate(
                nbformat.read(notebook, as_version=4).cells, start=1)
                if c.get("execution_count") == count)
    except (OSError, StopIteration, ValueError, KeyError, AttributeError):
        return f"cell In [{count}]" if count is not None else ""
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    name = (f"cell In [{cell.execution_count}]" if cell.get("execution_count") is not None
            else f"cell {number}")
    return f"{name} `{first[:60]}`"


def _first_line(text: object) -> str:
    return next((line.strip() for line in str(text).splitlines() if line.strip()), "")


def _one_line(text: object, limit: int = 400) -> str:
    """A message of several lines as one line (a problem list joined by spaces), shortened."""
    joined = " ".join(line.strip() for line in str(text).splitlines() if line.strip())
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"


def _death(manager) -> str:
    status = getattr(manager, "exit_status", None)
    if status is None:
        return "the kernel died"
    if status < 0:
        name = signal.Signals(-status).name
        hint = " (often: the machine ran out of memory)" if name == "SIGKILL" else ""
        return f"the kernel died, killed by {name}{hint}"
    return f"the kernel died (it exited with status {status})"


def describe_failure(failure: BaseException, scratch: Path, timeout: int) -> str:
    """One line: the cell (when known) and the cause of a failed execution."""
    # deferred: papermill loads only when this function runs (kernel start-up time)
    import papermill

    # deferred: nbclient loads only when this function runs (kernel start-up time)
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    if isinstance(failure, papermill.PapermillExecutionError):
        cause = f"{failure.ename}: {_one_line(failure.evalue)}".rstrip(": ")
        return f"{_cell_text(scratch, failure.exec_count)}: {cause}"
    if isinstance(failure, CellTimeoutError):
        cause = f"took longer than the time-out of {timeout} s (--timeout); the kernel was stopped"
    elif isinstance(failure, DeadKernelError):
        cause = _death(_kernel_manager_class().last)
    elif isinstance(failure, OSError) and failure.errno == errno.ENOSPC:
        cause = "no space left on device" + (f" writing {failure.filename}"
                                              if failure.filename else "")
    elif isinstance(failure, OSError):
        cause = (f"{type(failure).__name__}: {failure.strerror or _first_line(failure)}"
                 + (f" ({failure.filename})" if failure.filename else ""))
    else:
        cause = f"{type(failure).__name__}: {_first_line(failure)}".rstrip(": ")
    cell = _cell_text(scratch)
    return f"{cell}: {cause}" if cell else cause


_STOP = None
"""In a worker process: the event the runner sets when the run stops (no new notebook starts)."""
_RUNNER = None
"""In a worker process: the runner's pid; a worker whose runner has gone writes nothing more."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _die_with_parent() -> None:
    """Linux: the worker gets SIGTERM when the runner dies, even by SIGKILL."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker_start(stop, runner: int | None = None) -> None:
    """Worker initializer: idle workers ignore Ctrl-C; :func:`execute` listens while it runs.
    The kernel machinery's own log lines stay quiet: the runner reports each end in one line."""
    global _STOP, _RUNNER
    _STOP, _RUNNER = stop, runner
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if runner is not None and os.getppid() != runner:  # the runner died while this one started
        os._exit(0)
    for name in ("traitlets", "papermill", "nbclient", "jupyter_client", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _interrupt_once(signum, frame):
    for each in STOP_SIGNALS:  # a second signal must not break the clean-up
        signal.signal(each, signal.SIG_IGN)
    kernel = _kernel_manager_class().last
    if kernel is not None:  # the run stops: interrupt the cell, then kill the kernel at once
        kernel.stop_now = True
    logging.disable(logging.CRITICAL)  # the kernel's shutdown would log "Kernel died" and more
    raise KeyboardInterrupt


def _stopped() -> bool:
    """In a worker: the run was stopped, or the runner is gone."""
    return ((_STOP is not None and _STOP.is_set())
            or (_RUNNER is not None and os.getppid() != _RUNNER))


def execute(task: Task, output_root: str, timeout: int) -> Outcome:
    """Execute one task with papermill (in a worker process) and render its HTML.

    On Ctrl-C, SIGTERM or SIGHUP the kernel is shut down, the scratch notebook removed and the
    task reported as ``interrupted``: the earlier outputs stay, and no half-written file is left.
    A worker whose run was stopped, or whose runner has gone, writes nothing more.
    """
    if _STOP is not None:
        if _stopped():
            return Outcome(task, "interrupted", 0.0, "", "not started")
        for each in STOP_SIGNALS:
            signal.signal(each, _interrupt_once)
    folder = Path(output_root) / "reports" / task.slug
    try:
        before = _cpu_seconds()
        outcome = _execute(task, output_root, timeout)
        outcome.cpu_seconds = _cpu_seconds() - before
        return outcome
    except KeyboardInterrupt:
        return Outcome(task, "interrupted", 0.0, "", "interrupted")
    finally:
        for leftover in folder.glob(f".{task.notebook}.*"):
            leftover.unlink(missing_ok=True)  # scratch notebook, temporary HTML
        if _STOP is not None:  # idle again: Ctrl-C ignored, SIGTERM/SIGHUP end the worker
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGHUP, signal.SIG_DFL)
        if _RUNNER is not None and os.getppid() != _RUNNER:
            os._exit(0)  # the runner is gone: nobody reads the result, and its queue never ends


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its children that have ended (the
    kernels it started and shut down)."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def relative_paths(text: str, output_root: str | Path | None = None) -> str:
    """``text`` with the output root and the checkout written relative to themselves.

    An executed notebook is published (its HTML, the site): it must not show the folders of the
    machine that ran it (the outputs folder printed by ``setup``, a report's path, the source file
    of a warning, papermill's input and output paths)."""
    roots = {str(paths.output_root()), str(paths.ROOT)}
    if output_root is not None:  # the run's --output, which need not be in the environment
        roots.add(str(Path(output_root).resolve()))
    for folder in sorted(roots, key=len, reverse=True):
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

    os.environ[paths.OUTPUT_ROOT_VARIABLE] = output_root
    os.environ.setdefault("MPLBACKEND", "Agg")
    for variable in BLAS_THREAD_VARIABLES:  # inherited by the kernel papermill starts
        os.environ.setdefault(variable, "1")
    folder = paths.reports_dir(task.slug)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{task.notebook}.ipynb"
    scratch = folder / f".{task.notebook}.running.ipynb"
    started = time.perf_counter()
    status, error = "ok", ""
    _CURRENT.clear()
    try:
        papermill.execute_notebook(
            str(source_notebook(task)), str(scratch),
            parameters=task.parameters, kernel_name=KERNEL, cwd=str(paths.NOTEBOOKS),
            execution_timeout=timeout, progress_bar=False, log_output=False,
            kernel_manager_class=_kernel_manager_class(), engine_name=_engine(),
        )
    except Exception as failure:  # a cell raised, kernel died, timeout, full disk…
        status = "failed"
        error = describe_failure(failure, scratch, timeout)
    seconds = time.perf_counter() - started
    if _stopped():  # stopped meanwhile, or the runner is gone: leave the reports alone
        raise KeyboardInterrupt
    target = final if status == "ok" else folder / f"{task.notebook}.failed.ipynb"
    try:
        executed = nbformat.read(scratch, as_version=4)
    except FileNotFoundError:
        return Outcome(task, "failed", seconds, "", error or "the notebook wrote no output")
    except (OSError, ValueError) as unreadable:  # cut short by a full disk, say
        scratch.unlink(missing_ok=True)
        cause = error or f"the executed notebook could not be read back ({_first_line(unreadable)})"
        return Outcome(task, "failed", seconds, "", cause + "; no notebook kept")
    try:
        write_text_atomic(target.with_suffix(".html"),
                          relative_paths(report_html(executed), output_root))
        os.replace(scratch, target)
        write_text_atomic(target, relative_paths(target.read_text(encoding="utf-8"), output_root))
    except OSError as failure:  # a full disk while writing the HTML: keep the old outputs
        scratch.unlink(missing_ok=True)
        _CURRENT.clear()
        cause = describe_failure(failure, scratch, timeout)
        return Outcome(task, "failed", seconds, "",
                       (f"{error}; " if error else "") + f"saving the outputs failed: {cause}")
    if status == "ok":
        for stale in (folder / f"{task.notebook}.failed.ipynb",
                      folder / f"{task.notebook}.failed.html"):
            stale.unlink(missing_ok=True)
    return Outcome(task, status, seconds, str(target.relative_to(Path(output_root))), error)


class Stopped(KeyboardInterrupt):
    """The run was stopped by Ctrl-C, SIGTERM or SIGHUP; ``status`` is 128 + the signal."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signum)
        self.signum = signum
        self.status = 128 + signum


_STOPPING: list[int] = []
"""In the runner: the signal that stopped the run, once one has (later ones are ignored)."""


def _stop_signal(signum, frame):
    if _STOPPING:
        return  # already stopping: a second Ctrl-C must not break the clean-up
    _STOPPING.append(signum)
    raise Stopped(signum)


GRACE = 20.0
"""Seconds the running notebooks get to stop after a signal before what is left is killed."""


def _descendants(pid: int) -> dict[int, int]:
    """The processes below ``pid`` (children, grandchildren…), as ``{pid: start time}``, read
    from /proc (empty where there is none)."""
    parents: dict[int, list[int]] = {}
    starts: dict[int, int] = {}
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
        starts[int(entry.name)] = int(fields[19])
    found: dict[int, int] = {}
    queue = [pid]
    while queue:
        for child in parents.get(queue.pop(), []):
            if child not in found:
                found[child] = starts[child]
                queue.append(child)
    return found


def _start_time(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return int(handle.read().rsplit(b")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def _kill_leftovers(seen: dict[int, int], spare: set[int] = frozenset()) -> None:
    """SIGKILL every process in ``seen`` still alive (the same process: same start time) and,
    for a group leader such as a kernel, its whole process group."""
    for pid, start in seen.items():
        if pid in spare or _start_time(pid) != start:
            continue
        try:
            if os.getpgid(pid) == pid:
                os.killpg(pid, signal.SIGKILL)
            else:
                os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _stop_everything(pool, running: dict, stop, workers: list) -> None:
    """After a stop signal: start nothing more, interrupt the running notebooks (their workers
    shut the kernels down and remove partial files), wait up to :data:`GRACE` seconds, then kill
    whatever of the run is left (workers, kernels and their children)."""
    for each in STOP_SIGNALS:  # a second signal must not break the clean-up
        signal.signal(each, signal.SIG_IGN)
    logging.disable(logging.CRITICAL)
    stop.set()
    seen = _descendants(os.getpid())
    for future in running:
        future.cancel()
    for process in workers:
        if process.pid and process.is_alive():
            try:
                os.kill(process.pid, signal.SIGINT)  # when only the runner got the signal
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + GRACE
    while time.monotonic() < deadline and not all(f.done() for f in running):
        futures.wait(running, timeout=0.2)
        seen.update(_descendants(os.getpid()))  # a kernel that was just starting
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(p.is_alive() for p in workers):
        seen.update(_descendants(os.getpid()))
        time.sleep(0.1)
    tracker = _resource_tracker_pid()
    _kill_leftovers({**seen, **_descendants(os.getpid())}, spare={tracker} if tracker else set())


def _resource_tracker_pid() -> int | None:
    """multiprocessing's resource tracker: it ends by itself when the runner exits (and would
    warn about leaked semaphores if killed first)."""
    return getattr(resource_tracker._resource_tracker, "_pid", None)


def run(tasks: list[Task], output_root: Path, jobs: int, timeout: int,
        stream=sys.stdout) -> list[Outcome]:
    """Run the tasks with up to ``jobs`` worker processes, respecting their dependencies.

    Ctrl-C, SIGTERM and SIGHUP (as :class:`Stopped`, or a plain ``KeyboardInterrupt``) stop the
    run: see :func:`_stop_everything`; the exception is raised again once everything is stopped.
    """
    waits = dependencies(tasks)
    done: dict[Task, Outcome] = {}
    pending = start_order(tasks, waits)
    running: dict[futures.Future, Task] = {}
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    total = len(tasks)
    pool = futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                       initializer=_worker_start, initargs=(stop, os.getpid()))
    try:
        _loop(pool, pending, running, done, waits, total, output_root, jobs, timeout, stream)
    except KeyboardInterrupt:
        _stop_everything(pool, running, stop, list(getattr(pool, "_processes", {}).values()))
        raise
    pool.shutdown(wait=True)
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
            except Exception as broken:  # the worker itself broke (killed, out of memory…)
                outcome = Outcome(task, "failed", 0.0, "", "the worker process running it "
                                  f"stopped ({type(broken).__name__}: {_first_line(broken)})")
            if outcome.status == "interrupted":  # a worker saw Ctrl-C before the runner did
                _STOPPING.append(signal.SIGINT)
                raise Stopped(signal.SIGINT)
            done[task] = outcome
            mark = "ok" if outcome.status == "ok" else "FAILED"
            print(f"[{len(done)}/{total}] {task.label}: {mark} in {outcome.seconds:.1f} s"
                  + (f" — {outcome.error}" if outcome.error else ""), file=stream, flush=True)


def output_problem(root: Path) -> str | None:
    """Why ``root`` cannot receive the run's outputs, or ``None``: checked before any work.

    The folder (or, when it does not exist yet, its nearest existing parent) must be a folder in
    which a file can be created; a probe file is created and removed to be sure (a read-only
    mount, a folder without write permission).
    """
    where = root
    while not where.exists():
        if where.parent == where:
            break
        where = where.parent
    if where.exists() and not where.is_dir():
        what = "is a file" if where == root else f"lies under {where}, which is a file"
        return (f"the output folder {root} {what}, not a folder; give --output (or "
                f"{paths.OUTPUT_ROOT_VARIABLE}) a folder, new or existing.")
    for sub in ("reports", "figures"):
        inner = where / sub if where == root else None
        if inner is not None and inner.exists() and not inner.is_dir():
            return (f"{inner} is a file, but the run writes its {sub} into a folder of that "
                    "name; move the file away or choose another --output.")
    probe_in = [where] + [where / sub for sub in ("reports", "figures")
                          if where == root and (where / sub).is_dir()]
    for folder in probe_in:
        try:
            handle, probe = tempfile.mkstemp(prefix=".write-probe-", dir=folder)
            os.close(handle)
            os.unlink(probe)
        except OSError as error:
            return (f"the output folder {root} cannot be written to ({folder}: "
                    f"{error.strerror or error}); choose another --output (or "
                    f"{paths.OUTPUT_ROOT_VARIABLE}), or make it writable.")
    return None


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


def data_problem() -> str | None:
    """What is wrong with the codebook (``data/codebook.csv``: every column, ``share_of:`` targets
    included, checked against the tables), or ``None``: found before a notebook starts, not in
    the middle of one."""
    try:
        load_codebook()
    except (DataValidationError, FileNotFoundError) as error:
        return str(error)
    return None


def main(argv: list[str] | None = None) -> int:
    """The command. Ctrl-C, SIGTERM and SIGHUP end it with one line and status 130, 143, 129."""
    handlers = {}
    _STOPPING.clear()
    try:
        for signum in STOP_SIGNALS:
            handlers[signum] = signal.signal(signum, _stop_signal)
    except ValueError:  # not in the main thread (a test calling main): signals stay as they are
        handlers = {}
    try:
        return _main(argv)
    except KeyboardInterrupt as stopped:
        print("Interrupted: the running notebooks were stopped and their partial files removed; "
              "finished outputs are kept.", file=sys.stderr, flush=True)
        return getattr(stopped, "status", 128 + signal.SIGINT)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def _main(argv: list[str] | None) -> int:
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
        options = {"lang": checked["lang"], "seed": args.seed, "n_boot": args.n_boot,
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
          f"language {checked['lang']}, {args.jobs} job(s); outputs under {output_root}",
          flush=True)
    if args.list:
        for task in tasks:
            print(f"  {task.label}  {task.parameters}")
        return 0
    problem = output_problem(output_root) or data_problem() or kernel_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    outcomes = run(tasks, output_root, args.jobs, args.timeout)
    print()
    print(summary(outcomes))
    print(f"Wall time {time.perf_counter() - started:.1f} s.")
    return 0 if all(o.status == "ok" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
