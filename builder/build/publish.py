"""Publishing a build's files as one set: all of them or none, even if the build is killed half-way.

A build writes every output (the .docx, the PDF, the data annex, the manifest, and any
output added later: whatever is written at the top of the staging folder) into a private
staging folder inside the output folder. Publishing then moves them in as one set, the
way databases and package managers make a group of writes atomic:

1. the staged files are complete and flushed to disk; the manifest, written last, lists
   each with its SHA-256;
2. a journal (``.perfpack-publish.json``) records the set: the staging folder, each file
   with its SHA-256, and the files of the previous set (from its manifest) that this set
   no longer has, which go;
3. each file about to be replaced is hard-linked into the staging folder (a backup that
   copies nothing), the new files are renamed in (the manifest last), the previous set's
   leftovers are removed;
4. the journal is removed: the set is published, and the staging folder goes.

An error in step 3 puts the backups back at once. A build killed between two renames
leaves the journal: the next build (``recover``, before anything else) completes the set
when every file is still there, or puts the previous set back, so after the next run the
folder never holds a mixed set. It also removes the staging folders of builds that died:
each running build holds a lock on its own staging folder, so a folder nobody holds is
litter. Publishing and recovering hold a lock on the output folder, so two builds into one
folder publish one after the other, each set whole.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from builder.checkpoints import checkpoint
from builder.errors import OutputError

STAGING_PREFIX = ".perfpack-build-"
JOURNAL = ".perfpack-publish.json"
BACKUPS = ".previous"
MANIFEST = "build-manifest.json"
"""The manifest's name: published last, and read to know which files the previous set had."""
CHUNK = 1 << 20


@dataclass(frozen=True)
class Staged:
    """A finished file in the staging folder: its name (the same in the output folder) and fingerprint."""

    name: str
    sha256: str
    bytes: int


@dataclass
class Published:
    """What publishing did: the files now in the output folder, and the previous set's files removed."""

    files: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the staging folder


@contextlib.contextmanager
def staging(output_dir: Path) -> Iterator[Path]:
    """A private folder inside the output folder, locked while this build runs and removed whatever happens."""
    prepare_output(output_dir)
    try:
        stage = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=output_dir))
    except OSError as error:
        raise OutputError(cannot_write(error, output_dir)) from None
    held = lock(stage)
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        os.close(held)


def prepare_output(output_dir: Path) -> None:
    """Make the output folder, or say in one line why it cannot be one."""
    if output_dir.exists() and not output_dir.is_dir():
        raise OutputError(f"{output_dir}: this is a file, not a folder; choose another --output-dir")
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(cannot_write(error, output_dir)) from None


def cannot_write(error: OSError, output_dir: Path, stage: Path | None = None) -> str:
    """'<file>: cannot write it (the disk is full); free some space …' for any error while writing the pack.

    An error about a file outside the output folder came from reading an input: said as such.
    """
    name: Path | str = Path(error.filename) if error.filename else output_dir
    if stage is not None and isinstance(name, Path) and name.is_relative_to(stage):
        inside = name.relative_to(stage)  # the file as it would have been published, or the chart being drawn
        name = output_dir / inside if len(inside.parts) == 1 else f"{output_dir} (drawing {inside.name})"
    reasons = {
        errno.ENOSPC: ("the disk is full", "free some space"),
        errno.EDQUOT: ("the disk quota is used up", "free some space"),
        errno.EFBIG: ("the file is larger than this process may write (a file-size limit)", "raise the limit"),
        errno.EACCES: ("permission denied", "choose a folder you can write to with --output-dir"),
        errno.EPERM: ("permission denied", "choose a folder you can write to with --output-dir"),
        errno.EROFS: ("the disk is read-only", "choose another folder with --output-dir"),
        errno.ENOTDIR: ("part of the path is a file, not a folder", "choose another --output-dir"),
        errno.ENAMETOOLONG: ("the name is too long", "choose a shorter --output-dir"),
    }
    reason, advice = reasons.get(error.errno or 0, (error.strerror or str(error), "check the folder and try again"))
    if (
        isinstance(name, Path)
        and error.filename
        and not Path(os.path.abspath(name)).is_relative_to(Path(os.path.abspath(output_dir)))
    ):
        return f"{name}: cannot read it ({error.strerror or error}); check the file and its permissions"
    return f"{name}: cannot write it ({reason}); {advice}"


def staged_files(stage: Path) -> list[Staged]:
    """Every finished output in the staging folder: its regular files at the top, not hidden, with their SHA-256."""
    return [
        _fingerprint(path)
        for path in sorted(stage.iterdir())
        if path.is_file() and not path.is_symlink() and not path.name.startswith(".")
    ]


def staged_files_named(stage: Path, *names: str) -> list[Staged]:
    """The named files of the staging folder, fingerprinted."""
    return [_fingerprint(stage / name) for name in names]


@contextlib.contextmanager
def writing(output_dir: Path, stage: Path) -> Iterator[None]:
    """Within the block, an OSError (a full disk, a file-size limit) becomes one line naming the file."""
    try:
        yield
    except OSError as error:
        raise OutputError(cannot_write(error, output_dir, stage)) from None


# --------------------------------------------------------------------------- publishing


def publish_set(stage: Path, output_dir: Path, files: list[Staged]) -> Published:
    """Move the staged files into the output folder as one set, through the journal (see the module's docstring)."""
    for item in files:
        _flush(stage / item.name)
    with _locked(output_dir):
        names = {item.name for item in files}
        journal = Journal(stage.name, files, [n for n in previous_set(output_dir) if n not in names])
        journal.write(output_dir)
        try:
            _apply(journal, output_dir)
        except BaseException:  # an error or a stop part-way: the previous set goes back
            _roll_back(journal, output_dir)
            journal.remove(output_dir)
            raise
        journal.remove(output_dir)
    return Published([output_dir / item.name for item in files], journal.retire)


def previous_set(output_dir: Path) -> list[str]:
    """The files the previous manifest lists as published (plain names of files still there only)."""
    try:
        listed = json.loads((output_dir / MANIFEST).read_text(encoding="utf-8")).get("outputs", [])
    except (OSError, ValueError, AttributeError):
        return []
    if not isinstance(listed, list):  # a manifest perfpack did not write: nothing to retire
        return []
    names = [entry.get("name") if isinstance(entry, dict) else entry for entry in listed]
    return [
        name
        for name in names
        if isinstance(name, str)
        and name == Path(name).name
        and not name.startswith(".")
        and name != MANIFEST
        and (output_dir / name).is_file()
    ]


@dataclass
class Journal:
    """The record of a set being published, from which the next build completes or undoes it."""

    stage: str
    files: list[Staged]
    retire: list[str]

    def write(self, output_dir: Path) -> None:
        """Write the journal durably: to a temporary name, flushed, renamed, the folder flushed."""
        temporary = output_dir / f"{JOURNAL}.tmp"
        record = {"stage": self.stage, "files": [asdict(f) for f in self.files], "retire": self.retire}
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(record, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, output_dir / JOURNAL)
        _flush_folder(output_dir)

    def remove(self, output_dir: Path) -> None:
        """The set is whole (or the previous one is back): forget it.

        Not flushed: a removal lost in a crash leaves a journal whose files are all in place,
        which the next build completes by doing nothing.
        """
        with contextlib.suppress(FileNotFoundError):
            (output_dir / JOURNAL).unlink()

    @classmethod
    def read(cls, output_dir: Path) -> Journal | None:
        """The journal a killed build left, or None (a damaged one is treated as absent)."""
        try:
            record = json.loads((output_dir / JOURNAL).read_text(encoding="utf-8"))
            files = [Staged(str(f["name"]), str(f["sha256"]), int(f["bytes"])) for f in record["files"]]
            journal = cls(str(record["stage"]), files, [str(n) for n in record["retire"]])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        plain = [journal.stage, *(f.name for f in files), *journal.retire]
        return journal if all(n == Path(n).name and n not in ("", ".", "..") for n in plain) else None


def _apply(journal: Journal, output_dir: Path) -> None:
    """Back up what is replaced or removed, rename the new files in (manifest last), remove leftovers."""
    stage = output_dir / journal.stage
    backups = stage / BACKUPS
    backups.mkdir(exist_ok=True)
    for name in [*(f.name for f in journal.files), *journal.retire]:
        if (output_dir / name).is_file():
            _link_or_copy(output_dir / name, backups / name)
    ordered = sorted(journal.files, key=lambda f: f.name == MANIFEST)
    for number, item in enumerate(ordered):
        os.replace(stage / item.name, output_dir / item.name)
        if number == 0:
            checkpoint("publish")
    for name in journal.retire:
        with contextlib.suppress(FileNotFoundError):
            (output_dir / name).unlink()
    _flush_folder(output_dir)


def _roll_back(journal: Journal, output_dir: Path) -> None:
    """Put the previous set back from the backups; a new file that replaced nothing is removed."""
    stage = output_dir / journal.stage
    backups = stage / BACKUPS
    for name in [*(f.name for f in journal.files), *journal.retire]:
        with contextlib.suppress(OSError):
            if (backups / name).is_file():
                os.replace(backups / name, output_dir / name)
            elif name not in journal.retire and not (stage / name).exists():
                (output_dir / name).unlink(missing_ok=True)  # moved in, and there was no previous file
    _flush_folder(output_dir)


# --------------------------------------------------------------------------- the next build


def recover(output_dir: Path) -> list[str]:
    """Finish what a killed build left in the output folder; returns what was done, for the user.

    A publish journal is completed (every new file still there) or undone (the previous
    set put back); staging folders no running build holds are removed.
    """
    if not output_dir.is_dir():
        return []
    notes = []
    try:
        with _locked(output_dir):
            journal = Journal.read(output_dir)
            if journal is not None:
                notes.append(_finish(journal, output_dir))
            elif (output_dir / JOURNAL).exists():
                (output_dir / JOURNAL).unlink()
                notes.append(f"{output_dir / JOURNAL}: removed a damaged publish journal")
            with contextlib.suppress(FileNotFoundError):
                (output_dir / f"{JOURNAL}.tmp").unlink()
            for stage in output_dir.glob(f"{STAGING_PREFIX}*"):
                if stage.is_dir() and not stage.is_symlink() and unlocked(stage):
                    shutil.rmtree(stage, ignore_errors=True)
    except OSError as error:
        raise OutputError(cannot_write(error, output_dir)) from None
    return notes


def _finish(journal: Journal, output_dir: Path) -> str:
    """Complete an interrupted publish if every file of its set is still to hand, else undo it."""
    stage = output_dir / journal.stage
    moved = [f for f in journal.files if not (stage / f.name).is_file()]
    whole = all((output_dir / f.name).is_file() and _fingerprint(output_dir / f.name) == f for f in moved)
    if whole:
        for item in sorted(journal.files, key=lambda f: f.name == MANIFEST):
            if (stage / item.name).is_file():
                os.replace(stage / item.name, output_dir / item.name)
        for name in journal.retire:
            with contextlib.suppress(FileNotFoundError):
                (output_dir / name).unlink()
        outcome = "completed the set an interrupted build was publishing"
    else:
        _roll_back(journal, output_dir)
        outcome = "put back the previous set an interrupted build had begun to replace"
    _flush_folder(output_dir)
    journal.remove(output_dir)
    shutil.rmtree(stage, ignore_errors=True)
    return f"{output_dir}: {outcome}"


# --------------------------------------------------------------------------- files, folders and locks


def _fingerprint(path: Path) -> Staged:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return Staged(path.name, digest.hexdigest(), size)


def _flush(path: Path) -> None:
    """Make a file's bytes durable before the journal points at it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _flush_folder(folder: Path) -> None:
    """Make the renames in a folder durable (a no-op where folders cannot be flushed)."""
    with contextlib.suppress(OSError):
        _flush(folder)


def _link_or_copy(source: Path, target: Path) -> None:
    """A backup of ``source``: a hard link where the file system allows, else a copy."""
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def lock(folder: Path, *, wait: bool = True) -> int:
    """An exclusive lock on a folder, held until the returned descriptor is closed (or the process dies)."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    fd = lock(folder)
    try:
        yield
    finally:
        os.close(fd)


def unlocked(folder: Path) -> bool:
    """Whether no running build holds ``folder`` (taking its lock for a moment to find out)."""
    try:
        fd = lock(folder, wait=False)
    except OSError:
        return False
    os.close(fd)
    return True
