"""How runs end (issue 19): interrupts, signals, time-outs, a full disk, a dying kernel, bad
output paths. Each case runs as a user would meet it: on a temporary copy of the repository or a
folder of small test notebooks, the signal cases with real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.repo_copy import copy_repository

# ----------------------------------------------------------------------------------------------
# Case 0 and 5: `make data` (python -m helpers.sources) interrupted at any moment
# ----------------------------------------------------------------------------------------------


def _sources(copy: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "STUDY_OUTPUT_ROOT"}
    env["PYTHONPATH"] = str(copy)
    return subprocess.Popen([sys.executable, "-m", "helpers.sources"], cwd=copy, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_make_data_interrupted_at_any_moment_leaves_data_whole(tmp_path):
    copy = copy_repository(tmp_path)
    data = copy / "data"
    started = time.monotonic()
    first = _sources(copy)
    out, err = first.communicate(timeout=300)
    seconds = time.monotonic() - started
    assert first.returncode == 0, err
    written = [Path(line.removeprefix("wrote ")) for line in out.splitlines()]
    assert len(written) > 10 and all(p.is_relative_to(data) for p in written)
    fresh = {p: p.read_bytes() for p in written}
    old = {p: b + b"stale line of an earlier extraction\n" for p, b in fresh.items()}
    outcomes = []
    for share in (0.15, 0.5, 0.75, 0.85, 0.92, 0.97):
        for path, content in old.items():
            path.write_bytes(content)
        before = _snapshot(data)
        process = _sources(copy)
        time.sleep(share * seconds)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=300)
        after = _snapshot(data)
        now = {p: p.read_bytes() for p in written}
        assert now in (old, fresh), f"a mixed set after SIGINT at {share:.0%} of the run"
        if now == old:
            assert after == before, "data/ changed although the old tables stayed"
        else:
            assert set(after) == set(before)
        assert not [name for name in after if name.endswith(".tmp")]
        assert "Traceback" not in err and "KeyboardInterrupt" not in err
        if process.returncode == 130:
            assert err.count("\n") == 1 and "interrupted" in err, err
        elif process.returncode == -signal.SIGINT:
            # the signal came before Python ran the command's first line, or after its last
            # (the handlers restored): killed silently, the set whole either way
            assert err == "", err
        else:
            assert process.returncode == 0 and now == fresh, err
        outcomes.append(process.returncode)
    assert 130 in outcomes  # at least one signal arrived while the command ran


@pytest.fixture
def default_ctrl_c():
    """Ctrl-C raises KeyboardInterrupt here, whatever handler an earlier in-process test left."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_the_file_set_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch, default_ctrl_c):
    from helpers.sources import output

    out = tmp_path / "data"
    old = {"official/a.csv": b"old a\n", "official/b.csv": b"old b\n", "SOURCES.md": b"old\n"}
    output.write(old, out)
    new = {rel: content.replace(b"old", b"new") for rel, content in old.items()}
    real = os.fsync
    calls = []

    def interrupted_fsync(fd):  # Ctrl-C while the second file is being staged
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(fd)

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        output.write(new, out)
    assert _snapshot(out) == old  # nothing replaced, no temporary left
    monkeypatch.setattr(os, "fsync", real)

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        output.write(new, out)
    assert _snapshot(out) == old
    monkeypatch.setattr(os, "fsync", real)

    replace = os.replace
    renamed = []

    def signalled_replace(source, target):  # Ctrl-C arrives between two renames
        renamed.append(target)
        if len(renamed) == 1:
            os.kill(os.getpid(), signal.SIGINT)
        replace(source, target)

    monkeypatch.setattr(os, "replace", signalled_replace)
    with pytest.raises(KeyboardInterrupt):
        output.write(new, out)  # held back until every file is in place
    assert _snapshot(out) == new


def test_make_data_on_a_full_disk_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    from helpers.sources import cli

    def full_disk(files, out, done=None, check=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "build", lambda raw, specs, check: {"official/x.csv": b"x\n"})
    monkeypatch.setattr(cli, "write", full_disk)
    assert cli.main(["--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and "nothing written" in err


# ----------------------------------------------------------------------------------------------
# Cases 1 and 5: SIGTERM, SIGHUP, Ctrl-C and SIGKILL on a study run (real processes)
# ----------------------------------------------------------------------------------------------

SLOW = ("import os, time, pathlib\n"
        "pathlib.Path(os.environ['STUDY_OUTPUT_ROOT'], 'started-' + city).touch()\n"
        "time.sleep(float(os.environ.get('TEST_SLEEP', '120')))")


def _alive(pids: dict[int, int]) -> list[str]:
    """The processes of ``pids`` still running, described by their /proc stat line. A zombie
    (waiting for a parent to read its exit status) and a process whose memory is already released
    (empty command line: it is inside exit, which takes a moment on a loaded machine) run no
    more."""
    from helpers.run.runner import _start_time

    alive = []
    for pid, start in pids.items():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if _start_time(pid) == start and stat.rsplit(")", 1)[1].split()[0] != "Z" and cmd:
            alive.append(f"{stat[:60]} {cmd[:120]}")
    return alive


def _wait_started(process, output: Path, cities: int = 1, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while len(list(output.glob("started-*"))) < cities:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the notebooks did not start in time"
        time.sleep(0.2)


@pytest.mark.study
@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129),
                                            (signal.SIGINT, 130)])
def test_a_stop_signal_ends_the_run_in_one_line_and_leaves_no_process(tmp_path, monkeypatch,
                                                                      signum, status):
    """kill -TERM / -HUP / -INT on the runner alone (a service manager, a closed terminal, CI):
    kernels and workers stopped, nothing written, one line, 128 + signal; no process of the run
    left 5 s after the signal."""
    from helpers.run.runner import _descendants
    from tests.test_run import _runner, _sequence

    notebooks = tmp_path / "nb"
    name = _sequence(notebooks, SLOW)
    output = tmp_path / "out"
    earlier = output / "reports" / "almaty" / f"{name}.ipynb"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("earlier good run")
    monkeypatch.setenv("TEST_SLEEP", "15")  # a kernel left running would write later
    process = _runner(notebooks, output, "--city", "Almaty", "Astana", "--jobs", "2")
    _wait_started(process, output, cities=2)
    run_processes = _descendants(process.pid)
    assert len(run_processes) >= 4  # two workers, two kernels (and the resource tracker)
    signalled = time.monotonic()
    os.kill(process.pid, signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == status, err
    assert "Traceback" not in out + err and "Error" not in err
    assert err.count("\n") == 1 and err.startswith("Interrupted:"), err
    while _alive(run_processes) and time.monotonic() < signalled + 5:
        time.sleep(0.1)
    assert _alive(run_processes) == [], "processes of the run still alive 5 s after the signal"
    assert earlier.read_text() == "earlier good run"
    left = sorted(p.relative_to(output / "reports").as_posix()
                  for p in (output / "reports").rglob("*") if p.is_file())
    assert left == [f"almaty/{name}.ipynb"]  # nothing new, no scratch, no .failed


@pytest.mark.study
def test_workers_write_nothing_once_the_runner_is_killed(tmp_path, monkeypatch):
    """kill -KILL on the runner: its workers stop their kernels and write no report, although
    the notebooks would have finished a few seconds later."""
    from helpers.run.runner import _descendants
    from tests.test_run import _runner, _sequence

    notebooks = tmp_path / "nb"
    _sequence(notebooks, SLOW)
    output = tmp_path / "out"
    monkeypatch.setenv("TEST_SLEEP", "4")
    process = _runner(notebooks, output)
    _wait_started(process, output)
    run_processes = _descendants(process.pid)
    process.kill()
    process.communicate(timeout=60)
    deadline = time.monotonic() + 20
    while _alive(run_processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(run_processes) == []
    time.sleep(5)  # past the notebook's end, had its kernel survived
    assert [p.name for p in (output / "reports").rglob("*") if p.is_file()] == []


# ----------------------------------------------------------------------------------------------
# Case 2 and 3: a time-out, a dying kernel, a full disk — one line, nothing half-written
# ----------------------------------------------------------------------------------------------

def _one_task(tmp_path, monkeypatch, source):
    from helpers.registers import paths
    from helpers.run import runner as run
    from tests.test_run import _notebook

    notebooks = tmp_path / "nb"
    notebooks.mkdir()
    _notebook(notebooks, "02_case", source)
    monkeypatch.setattr(paths, "NOTEBOOKS", notebooks)
    output = tmp_path / "out"
    earlier = output / "reports" / "almaty" / "02_case.ipynb"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("earlier good run")
    return run.Task("02_case", "almaty", {"city": "almaty"}), output, earlier


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _is_notebook(path: Path) -> bool:
    import nbformat

    try:
        nbformat.read(path, as_version=4)
    except Exception:
        return False
    return True


@pytest.mark.study
def test_a_cell_over_the_time_out_ends_in_one_line_without_kernel_noise(tmp_path, monkeypatch,
                                                                         capfd):
    from helpers.run import runner as run

    task, output, earlier = _one_task(tmp_path, monkeypatch, "import time\ntime.sleep(60)")
    outcome = run.execute(task, str(output), 2)
    assert outcome.status == "failed"
    assert outcome.error == ("cell In [3] `import time`: took longer than the time-out of 2 s "
                             "(--timeout); the kernel was stopped")
    printed = "".join(capfd.readouterr())
    assert "Traceback" not in printed and "ZMQError" not in printed, printed
    assert earlier.read_text() == "earlier good run"
    assert _files(earlier.parent) == ["02_case.failed.html", "02_case.failed.ipynb",
                                      "02_case.ipynb"]
    assert _is_notebook(earlier.parent / "02_case.failed.ipynb")


@pytest.mark.study
def test_a_failed_notebook_keeps_what_its_cells_showed_before_the_failure(tmp_path, monkeypatch):
    """The runner skips papermill's per-cell rewrites of the notebook file: the notebook is
    written when the execution ends, a time-out included, with every output so far."""
    import nbformat

    from helpers.run import runner as run

    task, output, earlier = _one_task(
        tmp_path, monkeypatch, "print('reached the sleep', flush=True)\nimport time\n"
                               "time.sleep(60)")
    assert run.execute(task, str(output), 3).status == "failed"
    kept = nbformat.read(earlier.parent / "02_case.failed.ipynb", as_version=4)
    shown = [o.get("text", "") for c in kept.cells for o in c.get("outputs", [])]
    assert any("reached the sleep" in text for text in shown), shown


@pytest.mark.study
def test_the_notebook_file_is_not_rewritten_around_every_cell(tmp_path, monkeypatch):
    from papermill.iorw import LocalHandler

    from helpers.run import runner as run

    task, output, _ = _one_task(tmp_path, monkeypatch, "x = 1")
    real_write, writes = LocalHandler.write, []

    def counted(self, buf, path):
        writes.append(path)
        return real_write(self, buf, path)

    monkeypatch.setattr(LocalHandler, "write", counted)
    assert run.execute(task, str(output), 60).status == "ok"
    # papermill's own: the execution started, the execution ended, the final write; with its
    # per-cell writes there would be four more (before and after each of the two code cells)
    assert len(writes) == 3, writes


@pytest.mark.study
def test_a_dying_kernel_is_named_with_its_cell_and_cause(tmp_path, monkeypatch, capfd):
    from helpers.run import runner as run

    task, output, earlier = _one_task(tmp_path, monkeypatch,
                                      "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    outcome = run.execute(task, str(output), 60)
    assert outcome.status == "failed"
    assert outcome.error.startswith("cell ") and "`import os, signal`" in outcome.error
    assert outcome.error.endswith("the kernel died, killed by SIGKILL (often: the machine ran "
                                  "out of memory)")
    assert "\n" not in outcome.error
    printed = "".join(capfd.readouterr())
    assert "Traceback" not in printed, printed
    assert earlier.read_text() == "earlier good run"
    assert not [n for n in _files(earlier.parent) if n.startswith(".")]


@pytest.mark.study
def test_a_full_disk_ends_in_one_line_and_leaves_no_truncated_notebook(tmp_path, monkeypatch):
    import errno

    from papermill.iorw import LocalHandler

    from helpers.run import runner as run

    task, output, earlier = _one_task(tmp_path, monkeypatch, "x = 1\ny = 2")
    real_write, calls = LocalHandler.write, []

    def filling_up(self, buf, path):  # the third save of the notebook hits a full disk
        calls.append(path)
        if len(calls) < 3:
            return real_write(self, buf, path)
        Path(path).write_text(buf[: len(buf) // 2])  # half a file, as a full disk leaves it
        raise OSError(errno.ENOSPC, "No space left on device", path)

    monkeypatch.setattr(LocalHandler, "write", filling_up)
    outcome = run.execute(task, str(output), 60)
    assert outcome.status == "failed"
    assert "no space left on device" in outcome.error and "\n" not in outcome.error
    assert outcome.error.startswith("cell "), outcome.error
    assert earlier.read_text() == "earlier good run"
    assert _files(earlier.parent) == ["02_case.ipynb"]  # no truncated .failed.ipynb, no scratch


@pytest.mark.study
def test_a_full_disk_while_saving_the_html_keeps_the_earlier_outputs(tmp_path, monkeypatch):
    import errno

    from helpers.run import results
    from helpers.run import runner as run

    task, output, earlier = _one_task(tmp_path, monkeypatch, "x = 1")
    earlier.with_suffix(".html").write_text("earlier html")

    def full_disk(path, text):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(results, "write_text_atomic", full_disk)
    monkeypatch.setattr(run, "write_text_atomic", full_disk)  # the runner's own reference
    outcome = run.execute(task, str(output), 60)
    assert outcome.status == "failed" and "\n" not in outcome.error
    assert "saving the outputs failed: no space left on device" in outcome.error
    assert earlier.read_text() == "earlier good run"
    assert earlier.with_suffix(".html").read_text() == "earlier html"
    assert _files(earlier.parent) == ["02_case.html", "02_case.ipynb"]


# ----------------------------------------------------------------------------------------------
# Case 4: output paths checked before any work
# ----------------------------------------------------------------------------------------------

def _no_kernel(monkeypatch):
    from helpers.run import runner as run

    def refuse(*args, **kwargs):
        raise AssertionError("a task started although the output folder is unusable")

    monkeypatch.setattr(run, "run", refuse)


def test_an_output_that_is_a_file_stops_the_run_before_any_work(tmp_path, monkeypatch, capsys):
    from helpers.run import runner as run

    _no_kernel(monkeypatch)
    target = tmp_path / "results.txt"
    target.write_text("not a folder")
    assert run.main(["--notebooks", "02", "--city", "Almaty", "--output", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{target} is a file, not a folder" in err
    assert run.main(["--notebooks", "02", "--output", str(target / "sub")]) == 2
    assert "which is a file" in capsys.readouterr().err
    monkeypatch.setenv("STUDY_OUTPUT_ROOT", str(target))
    assert run.main(["--notebooks", "02", "--city", "Almaty"]) == 2
    assert f"{target} is a file" in capsys.readouterr().err
    assert target.read_text() == "not a folder"


def test_a_read_only_output_folder_is_refused_before_any_work(tmp_path, monkeypatch, capsys):
    import errno
    import tempfile

    from helpers.run import runner as run

    _no_kernel(monkeypatch)
    folder = tmp_path / "out"
    folder.mkdir()
    if os.geteuid() != 0:  # a real read-only folder (root may write anywhere)
        folder.chmod(0o555)
    else:  # as root: the probe meets what a read-only mount answers
        def read_only(*args, **kwargs):
            raise OSError(errno.EROFS, "Read-only file system")

        monkeypatch.setattr(tempfile, "mkstemp", read_only)
    try:
        assert run.main(["--notebooks", "02", "--city", "Almaty", "--output", str(folder)]) == 2
    finally:
        folder.chmod(0o755)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be written to" in err
    assert list(folder.iterdir()) == []


# ----------------------------------------------------------------------------------------------
# Case 7: a codebook error stops the runner before any notebook starts
# ----------------------------------------------------------------------------------------------

def test_a_bad_share_of_target_stops_the_run_before_any_notebook(tmp_path, monkeypatch, capsys):
    import csv

    from helpers.registers import data
    from helpers.run import runner as run

    _no_kernel(monkeypatch)
    book = tmp_path / "codebook.csv"
    with data.CODEBOOK.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    line = next(i for i, r in enumerate(rows, start=2) if r["indicator"] == "buses")
    rows[line - 2]["normalisation"] = "share_of:bus"
    with book.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(data, "CODEBOOK", book)
    assert run.main(["--notebooks", "02", "--city", "Almaty", "--output", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"row {line}, column 'normalisation': 'share_of:bus'" in err
    assert "valid: share_of:<one of [" in err and not (tmp_path / "reports").exists()


@pytest.mark.study
def test_a_real_full_disk_as_output_ends_in_one_line(tmp_path):
    """The issue's probe: a 1.2 MB tmpfs as --output (needs root to mount it; skipped otherwise)."""
    from tests.test_run import _runner, _sequence

    disk = tmp_path / "tiny"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(disk)],
            capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        notebooks = tmp_path / "nb"
        _sequence(notebooks, "print('x' * 3_000_000)")
        process = _runner(notebooks, disk)
        out, err = process.communicate(timeout=300)
        assert process.returncode == 1, err
        line = next(t for t in out.splitlines() if t.startswith("[1/1]"))
        assert "FAILED" in line and "cell In [3] `print('x' * 3_000_000)`: no space left on " \
            "device" in line
        assert "Traceback" not in out + err and "NotJSONError" not in out + err
        assert [p for p in disk.rglob("*") if p.is_file()] == []  # nothing half-written
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_ctrl_c_while_the_runner_starts_prints_one_line(tmp_path):
    """Case 5 at the very start: the signal may arrive while the runner is still importing."""
    from helpers.registers import paths

    for delay in (0.3, 0.8, 1.5):
        process = subprocess.Popen(
            [sys.executable, "-m", "helpers.run", "--list", "--city", "Almaty", "--output",
             str(tmp_path)], cwd=paths.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
        assert "Traceback" not in out + err and "KeyboardInterrupt" not in err
        if process.returncode == 130:
            assert err.count("\n") == 1 and err.startswith("Interrupted"), err
        else:  # finished before the signal, or the signal came before Python's first line
            assert process.returncode in (0, -signal.SIGINT) and err == "", err


@pytest.mark.parametrize("then", ["check", "error"])
def test_a_signal_inside_a_unit_of_work_stops_at_the_next_check_in_one_line(tmp_path, capsys,
                                                                            monkeypatch, then):
    """The handler only notes the signal: the unit of work under way (here, a reader) goes on,
    and the command stops at the next check, or when the unit fails afterwards (openpyxl's
    descriptors turn anything into a TypeError); one line, nothing written either way."""
    from helpers.sources import cli

    def reader(raw, specs, check):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)  # not interrupted: the signal was only noted
        finished.append(True)
        if then == "error":
            raise TypeError("expected <class 'int'>")
        check()
        return {"official/x.csv": b"x\n"}

    finished: list[bool] = []
    monkeypatch.setattr(cli, "build", reader)
    assert cli.main(["--out", str(tmp_path)]) == 130
    assert finished == [True]
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "interrupted; nothing was written" in err
    assert list(tmp_path.iterdir()) == []
