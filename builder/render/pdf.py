"""Turn the finished .docx into the accessible PDF with a real LibreOffice, driven over UNO.

Why not ``soffice --convert-to pdf``: it exports the contents page exactly as Word last
left it (placeholder text, stale page numbers) and can neither rebuild the indexes nor
set the title. So this module starts one headless LibreOffice per call, with a private
profile and a private pipe, and runs ``uno_export.py`` under the Python that carries the
UNO bridge (on Debian ``/usr/bin/python3`` with ``python3-uno``; the project's virtualenv
cannot ``import uno``). That script loads each document hidden, updates the indexes twice,
sets the title and exports a tagged PDF/UA file.

Guarantees the pipeline and the CLI rely on:

* every failure is a :class:`~builder.errors.ConversionError` with a one-line message;
* a PDF appears only complete (written under a temporary name beside the target, then
  ``os.replace``), so a failed or timed-out run never leaves half a PDF or clobbers the
  previous one;
* LibreOffice works on private copies in a temporary folder, so no lock or scratch file
  of its ever lands beside the user's documents;
* the LibreOffice processes and the temporary profile are gone when the call returns,
  whatever happened, so two builds at once never share or leak anything.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from glob import glob
from pathlib import Path
from typing import IO, Any

from builder.checkpoints import checkpoint
from builder.errors import ConversionError
from builder.render.processes import pipe_paths, remove_stale_pipes, stop, stop_guarded

#: Environment variables that point at a specific LibreOffice or UNO-capable Python.
SOFFICE_ENV = "PERFPACK_SOFFICE"
UNO_PYTHON_ENV = "PERFPACK_UNO_PYTHON"

INSTALL_HINT = (
    "install it with `apt-get install -y --no-install-recommends libreoffice-writer-nogui "
    "python3-uno`, or build with --no-pdf"
)

#: Where LibreOffice lives when it is not on PATH (Debian/Ubuntu, TDF builds, macOS).
SOFFICE_PLACES = (
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice*/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)

#: Pythons that usually carry the UNO bridge: the distribution's own, or the one bundled with LibreOffice.
UNO_PYTHON_PLACES = (
    "/usr/bin/python3",
    "/usr/lib/libreoffice/program/python",
    "/opt/libreoffice*/program/python",
    "/Applications/LibreOffice.app/Contents/Resources/python",
)

EXPORT_SCRIPT = Path(__file__).with_name("uno_export.py")

#: Seconds LibreOffice gets to quit by itself after a clean run before it is killed.
QUIT_GRACE = 5.0
#: Seconds a vanished LibreOffice is given for its last reports to arrive before the run is
#: declared failed (it quits by itself right after the final job, which can overtake the report).
OFFICE_EXIT_SLACK = 2.0


# --------------------------------------------------------------------------- finding the tools


def find_soffice() -> Path | None:
    """The LibreOffice launcher to use: ``$PERFPACK_SOFFICE``, then PATH, then the usual places."""
    override = os.environ.get(SOFFICE_ENV)
    if override:
        return Path(override) if _is_executable(Path(override)) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return _first_executable(SOFFICE_PLACES)


def find_uno_python() -> Path | None:
    """A Python that can ``import uno``: ``$PERFPACK_UNO_PYTHON``, this one, or a usual place.

    An explicit ``$PERFPACK_UNO_PYTHON`` that cannot import uno gives ``None`` rather
    than a silent fallback, so a wrong setting is reported instead of hidden.
    """
    override = os.environ.get(UNO_PYTHON_ENV)
    if override:
        return Path(override) if _imports_uno(override) else None
    candidates = [sys.executable, *(p for pattern in UNO_PYTHON_PLACES for p in sorted(glob(pattern)))]
    for candidate in candidates:
        if _imports_uno(candidate):
            return Path(candidate)
    return None


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _first_executable(patterns: Sequence[str]) -> Path | None:
    for pattern in patterns:
        for match in sorted(glob(pattern)):
            if _is_executable(Path(match)):
                return Path(match)
    return None


@lru_cache(maxsize=16)
def _imports_uno(python: str) -> bool:
    """Whether ``python`` can import the UNO bridge; cached because it costs a process start."""
    if not _is_executable(Path(python)):
        return False
    try:
        result = subprocess.run(
            [python, "-c", "import uno"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def require_tools() -> None:
    """ConversionError now, before any work, when LibreOffice or its UNO Python is missing."""
    _tools()


def _tools() -> tuple[Path, Path]:
    """LibreOffice and the UNO Python, or a ConversionError that says how to get them."""
    soffice = find_soffice()
    if soffice is None:
        raise ConversionError(f"LibreOffice (soffice) was not found: {INSTALL_HINT}")
    python = find_uno_python()
    if python is None:
        raise ConversionError(
            f"no Python that can `import uno` (LibreOffice's bridge) was found, "
            f"nor a working ${UNO_PYTHON_ENV}: {INSTALL_HINT}"
        )
    return soffice, python


# --------------------------------------------------------------------------- public API


def convert_to_pdf(docx: Path, pdf: Path, *, title: str | None = None, timeout: float = 300.0) -> Path:
    """Convert one .docx to a tagged PDF at ``pdf`` and return ``pdf`` (as given).

    ``title`` becomes the document title that viewers show; without it the .docx's own
    core-properties title is kept. ``timeout`` covers the whole call, LibreOffice's start
    included.
    """
    return convert_many([(docx, pdf)], titles=[title], timeout=timeout)[0]


@dataclass(frozen=True)
class Converted:
    """One PDF made, and what LibreOffice's layout of it says: the contents entries and the page count.

    ``contents`` holds (heading, pages) pairs as the PDF's contents page shows them, pages
    as "10-11" for a section over two pages; the .docx is given the same.
    """

    pdf: Path
    contents: tuple[tuple[str, str], ...] = ()
    pages: int = 0


def convert_many(
    jobs: Sequence[tuple[Path, Path]],
    *,
    titles: Sequence[str | None] | None = None,
    timeout: float = 300.0,
    progress: Callable[[int, int], None] | None = None,
    office: Office | None = None,
) -> list[Path]:
    """Convert several (docx, pdf) pairs with one LibreOffice start; return the PDF paths as given.

    Starting LibreOffice costs seconds, converting a document much less, so batches share
    one instance. Each PDF is published as soon as it is complete; if a later job fails the
    earlier PDFs stay (they are whole and correct) and the error names the failing file.
    ``progress(done, total)`` is called after each PDF is in place. With ``office`` (an
    :class:`Office` the caller keeps), the LibreOffice it holds is used and left running,
    so the next call costs the conversion alone.
    """
    converted = convert_documents(jobs, titles=titles, timeout=timeout, progress=progress, office=office)
    return [c.pdf for c in converted]


def convert_documents(
    jobs: Sequence[tuple[Path, Path]],
    *,
    titles: Sequence[str | None] | None = None,
    timeout: float = 300.0,
    progress: Callable[[int, int], None] | None = None,
    office: Office | None = None,
) -> list[Converted]:
    """``convert_many``, also returning each document's contents and page count from the same layout."""
    deadline = time.monotonic() + timeout
    planned = _plan(jobs, titles)
    if not planned:
        return []
    soffice, python = _tools()
    if office is None:
        layouts = _run(planned, soffice, python, deadline, timeout, progress)
    else:
        layouts = office.run(planned, soffice, python, deadline, timeout, progress)
    return [
        Converted(
            Path(pdf),
            tuple((str(h), str(p)) for h, p in layouts[i].get("contents", ())),
            int(layouts[i].get("pages", 0)),
        )
        for i, (_, pdf) in enumerate(jobs)
    ]


class Office:
    """One headless LibreOffice kept running between conversions, for ``perfpack watch --pdf``.

    An author who refreshes the PDF on every save should not wait for LibreOffice to start
    each time (seconds, most of a PDF refresh). The office is started on first use with the
    same private profile and pipe as a one-off run, and the UNO script leaves it running
    after each batch; a fresh script per batch keeps the protocol and the deadline as they
    are. If a conversion fails or times out, or the office has died, it is stopped and the
    next call starts a new one. ``close()`` (or leaving a ``with`` block) stops it and
    removes its workspace, whatever happened.
    """

    def __init__(self) -> None:
        self._work: _Workspace | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        """How many times LibreOffice was started (once, while all goes well)."""

    def __enter__(self) -> Office:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The running LibreOffice's process id (its guard's, ``render.guard``), or None when none is running."""
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    def run(
        self,
        jobs: list[_Job],
        soffice: Path,
        python: Path,
        deadline: float,
        timeout: float,
        progress: Callable[[int, int], None] | None,
    ) -> dict[int, dict[str, Any]]:
        """Convert a batch with the kept LibreOffice (started first if it is not running); each job's report."""
        work, process = self._running(soffice)
        script: subprocess.Popen[str] | None = None
        clean = False
        try:
            shutil.rmtree(work.files, ignore_errors=True)  # the last batch's copies and PDFs
            work.files.mkdir()
            for job in jobs:
                shutil.copyfile(job.source, job.inbox(work))
            script = _start_script(python, work, jobs, deadline, keep_office=True)
            layouts = _follow(script, process, jobs, work, deadline, timeout, progress)
            clean = True
        except OSError as error:
            raise ConversionError(f"could not prepare the PDF conversion: {error}") from error
        finally:
            stop(script, grace=QUIT_GRACE if clean else 0.0)
            if not clean:
                self.close()  # a LibreOffice in an unknown state: the next batch starts afresh
        return layouts

    def close(self) -> None:
        """Stop LibreOffice (through its guard) and remove its profile and files."""
        if self._work is not None:
            stop_guarded(self._process, grace=0.0, group_file=self._work.group_file)
            self._work.remove()
        self._process, self._work = None, None

    def _running(self, soffice: Path) -> tuple[_Workspace, subprocess.Popen[bytes]]:
        if self._process is None or self._work is None or self._process.poll() is not None:
            self.close()
            self._work = _Workspace.create()
            self._process = _start_office(soffice, self._work)
            self.starts += 1
        return self._work, self._process


# --------------------------------------------------------------------------- one run


@dataclass(frozen=True)
class _Job:
    """One conversion: the source, where the PDF must end up, and the private copies LibreOffice sees."""

    source: Path
    target: Path
    title: str | None
    index: int

    def inbox(self, work: _Workspace) -> Path:
        """The private copy of the source LibreOffice opens (its extension picks the import filter)."""
        return work.files / f"{self.index}{self.source.suffix.lower()}"

    def outbox(self, work: _Workspace) -> Path:
        """Where LibreOffice writes this job's PDF, inside the private workspace."""
        return work.files / f"{self.index}.pdf"


@dataclass(frozen=True)
class _Workspace:
    """A private temporary folder per call: LibreOffice's profile, the files it touches, the logs.

    LibreOffice leaves lock files (``.~lock.<name>#``) and ``lu*.tmp`` files beside every
    document it opens or writes, and a killed LibreOffice never removes them. Giving it
    only copies inside this folder keeps the user's folders clean whatever happens; the
    whole folder goes in one ``rmtree``.
    """

    root: Path
    pipe_name: str

    @property
    def profile(self) -> Path:
        return self.root / "profile"

    @property
    def files(self) -> Path:
        return self.root / "files"

    @property
    def group_file(self) -> Path:
        """Where the guard writes LibreOffice's process group id."""
        return self.root / "office.pgid"

    @classmethod
    def create(cls) -> _Workspace:
        root = Path(tempfile.mkdtemp(prefix="perfpack-lo-"))
        (root / "files").mkdir()
        return cls(root, f"perfpack-{os.getpid()}-{uuid.uuid4().hex}")

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        remove_stale_pipes(self.profile, self.pipe_name)


def _plan(jobs: Sequence[tuple[Path, Path]], titles: Sequence[str | None] | None) -> list[_Job]:
    """Check the inputs before anything starts, so a bad argument costs no LibreOffice start."""
    if titles is not None and len(titles) != len(jobs):
        raise ConversionError(f"convert_many got {len(jobs)} documents but {len(titles)} titles")
    work = []
    for index, (docx, pdf) in enumerate(jobs):
        source, target = Path(docx).resolve(), Path(pdf).resolve()
        if not source.is_file():
            raise ConversionError(f"cannot convert {source}: the file does not exist")
        target.parent.mkdir(parents=True, exist_ok=True)
        work.append(_Job(source, target, titles[index] if titles is not None else None, index))
    return work


def _run(
    jobs: list[_Job],
    soffice: Path,
    python: Path,
    deadline: float,
    timeout: float,
    progress: Callable[[int, int], None] | None,
) -> dict[int, dict[str, Any]]:
    """Start LibreOffice and the UNO script, follow the script's report, always clean up.

    Returns each job's "done" report by its index.
    """
    work = _Workspace.create()
    office: subprocess.Popen[bytes] | None = None
    script: subprocess.Popen[str] | None = None
    clean = False
    try:
        for job in jobs:
            shutil.copyfile(job.source, job.inbox(work))
        office = _start_office(soffice, work)
        script = _start_script(python, work, jobs, deadline)
        layouts = _follow(script, office, jobs, work, deadline, timeout, progress)
        clean = True
    except OSError as error:
        raise ConversionError(f"could not prepare the PDF conversion: {error}") from error
    finally:
        # After a clean run the script is asking LibreOffice to quit: let it finish first.
        stop(script, grace=QUIT_GRACE if clean else 0.0)
        stop_guarded(office, grace=QUIT_GRACE if clean else 0.0, group_file=work.group_file)
        work.remove()
    return layouts


def _start_office(soffice: Path, work: _Workspace) -> subprocess.Popen[bytes]:
    """Start headless LibreOffice through ``render.guard``, with a private profile and pipe.

    The guard leads a new session; LibreOffice runs in a process group of its own under it,
    so the launcher and ``soffice.bin`` can be killed together, and the guard kills that
    group and removes the profile if this build dies, even by SIGKILL. The private
    profile (``-env:UserInstallation``) is what lets two builds run at once, since a second
    LibreOffice on the same profile hands its work to the first and quits.
    """
    office = [
        str(soffice),
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nodefault",
        "--nolockcheck",
        f"-env:UserInstallation={work.profile.as_uri()}",
        f"--accept=pipe,name={work.pipe_name};urp;StarOffice.ComponentContext",
    ]
    removals = [
        part for path in (work.root, *pipe_paths(work.profile, work.pipe_name)) for part in ("--remove", str(path))
    ]
    guard = [sys.executable, "-m", "builder.render.guard", str(os.getpid()), str(work.group_file), *removals, "--"]
    with (work.root / "soffice.log").open("wb") as log:
        try:
            return subprocess.Popen(
                [*guard, *office],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as error:
            raise ConversionError(f"LibreOffice ({soffice}) could not be started: {error}; {INSTALL_HINT}") from error


def _start_script(
    python: Path, work: _Workspace, jobs: list[_Job], deadline: float, *, keep_office: bool = False
) -> subprocess.Popen[str]:
    """Run ``uno_export.py`` under the UNO Python and hand it the jobs as JSON on stdin.

    ``keep_office`` asks the script to leave LibreOffice running when it is done (an :class:`Office`).
    """
    request = {
        "parent": os.getpid(),
        "connect": f"uno:pipe,name={work.pipe_name};urp;StarOffice.ComponentContext",
        "connect_timeout": max(deadline - time.monotonic(), 1.0),
        "jobs": [{"source": str(job.inbox(work)), "target": str(job.outbox(work)), "title": job.title} for job in jobs],
        "quit": not keep_office,
    }
    with (work.root / "uno_export.log").open("w") as log:
        try:
            script = subprocess.Popen(
                [str(python), str(EXPORT_SCRIPT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,
            )
        except OSError as error:
            raise ConversionError(f"the UNO Python ({python}) could not be started: {error}") from error
    assert script.stdin is not None
    with suppress(BrokenPipeError):
        script.stdin.write(json.dumps(request))
        script.stdin.close()
    return script


def _follow(
    script: subprocess.Popen[str],
    office: subprocess.Popen[bytes],
    jobs: list[_Job],
    work: _Workspace,
    deadline: float,
    timeout: float,
    progress: Callable[[int, int], None] | None,
) -> dict[int, dict[str, Any]]:
    """Publish each PDF the script reports done; turn errors, early exits and the deadline into ConversionError.

    Returns the "done" reports by job index (the contents and page count of each).
    """
    assert script.stdout is not None
    events = _read_events(script.stdout)
    done = 0
    layouts: dict[int, dict[str, Any]] = {}
    office_gone_at: float | None = None
    while done < len(jobs):
        current = jobs[done]
        now = time.monotonic()
        if now >= deadline:
            raise ConversionError(
                f"LibreOffice did not finish converting {current.source.name} within "
                f"{timeout:g} s; try again, raise --pdf-timeout, or use --no-pdf"
            )
        if office_gone_at is None and office.poll() is not None:
            office_gone_at = now
        if office_gone_at is not None and now - office_gone_at > OFFICE_EXIT_SLACK:
            raise ConversionError(
                f"LibreOffice stopped before converting {current.source.name} "
                f"(exit code {office.returncode}){_log_tail(work)}"
            )
        try:
            event = events.get(timeout=min(deadline - now, 0.25))
        except queue.Empty:
            continue
        if event is None:
            script.wait()
            raise ConversionError(
                f"LibreOffice could not convert {current.source.name}: the UNO script "
                f"ended early (exit code {script.returncode}){_log_tail(work)}"
            )
        if event.get("event") == "connected":
            checkpoint("pdf")  # LibreOffice is up and about to convert
        if event.get("event") == "error":
            index = event.get("index")
            failed = jobs[index].source.name if isinstance(index, int) else current.source.name
            raise ConversionError(f"LibreOffice could not convert {failed}: {event.get('message', 'unknown error')}")
        if event.get("event") == "done":
            _publish(jobs[event["index"]], work)
            layouts[event["index"]] = event
            done += 1
            if progress is not None:
                progress(done, len(jobs))
    return layouts


def _read_events(stream: IO[str]) -> queue.Queue[dict[str, Any] | None]:
    """Feed the script's JSON lines into a queue from a thread, so waiting can honour the deadline.

    ``None`` marks the end of the stream. Lines that are not JSON (a stray print from a
    UNO library) are skipped rather than trusted.
    """
    events: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def pump() -> None:
        for line in stream:
            with suppress(ValueError):
                parsed = json.loads(line)
                if isinstance(parsed, dict):
                    events.put(parsed)
        events.put(None)

    threading.Thread(target=pump, name="perfpack-uno-events", daemon=True).start()
    return events


def _publish(job: _Job, work: _Workspace) -> None:
    """Put a finished PDF at its target atomically, after checking it really is a PDF.

    It is copied to a hidden temporary name in the target's own folder and renamed, so
    the target is either the old file or the whole new one, never a partial write; the
    leading dot keeps the temporary file out of globs such as ``output/*.pdf``.
    """
    made = job.outbox(work)
    try:
        with made.open("rb") as handle:
            head = handle.read(5)
    except OSError as error:
        raise ConversionError(f"LibreOffice reported {job.source.name} converted but wrote no PDF") from error
    if head != b"%PDF-":
        raise ConversionError(f"LibreOffice wrote something that is not a PDF for {job.source.name}")
    partial = job.target.with_name(f".{job.target.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        shutil.copyfile(made, partial)
        os.replace(partial, job.target)
    except OSError as error:
        raise ConversionError(f"could not write {job.target}: {error}") from error
    finally:
        with suppress(FileNotFoundError):
            partial.unlink()


def _log_tail(work: _Workspace) -> str:
    """The last meaningful line the script or LibreOffice logged, to make a failure message specific."""
    for name in ("uno_export.log", "soffice.log"):
        with suppress(OSError):
            text = (work.root / name).read_text(errors="replace")
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            if lines:
                return f": {lines[-1][:200]}"
    return ""
