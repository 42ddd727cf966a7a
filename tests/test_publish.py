"""Publishing a set whole: the journal, rolling back, and what the next build finishes or undoes."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from builder.build.publish import (
    JOURNAL,
    MANIFEST,
    STAGING_PREFIX,
    Journal,
    cannot_write,
    lock,
    publish_set,
    recover,
    staged_files,
    staging,
)
from builder.errors import OutputError


def previous_set(out: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """An output folder holding a published set: the files and a manifest listing them."""
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    (out / MANIFEST).write_text(json.dumps({"outputs": [{"name": n} for n in files]}))
    return contents(out)


def contents(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def stage_new_set(out: Path, files: dict[str, bytes]) -> tuple[Path, list]:
    """A staging folder (as a build leaves it before publishing) holding ``files`` and their manifest."""
    stage = out / f"{STAGING_PREFIX}test"
    stage.mkdir()
    (stage / "charts").mkdir()
    (stage / "charts" / "a.png").write_bytes(b"chart")  # not part of the set: only the top level is
    for name, data in files.items():
        (stage / name).write_bytes(data)
    (stage / MANIFEST).write_text(json.dumps({"outputs": [{"name": n} for n in files]}))
    return stage, staged_files(stage)


def test_a_set_is_published_whole_and_replaces_the_previous_one(tmp_path):
    out = tmp_path / "out"
    previous_set(out, {"p.docx": b"old docx", "p.pdf": b"old pdf", "notes.txt": b"not ours"})
    (out / MANIFEST).write_text(json.dumps({"outputs": ["p.docx", "p.pdf"]}))  # the older manifest format
    stage, files = stage_new_set(out, {"p.docx": b"new docx", "p-data.xlsx": b"new annex"})
    manifest = (stage / MANIFEST).read_bytes()

    published = publish_set(stage, out, files)

    assert contents(out) == {
        MANIFEST: manifest,
        "notes.txt": b"not ours",  # never listed in a manifest: never touched
        "p-data.xlsx": b"new annex",
        "p.docx": b"new docx",
    }
    assert published.removed == ["p.pdf"]  # the previous set's PDF does not match the new document
    assert sorted(p.name for p in published.files) == sorted([MANIFEST, "p-data.xlsx", "p.docx"])
    assert not (out / JOURNAL).exists()


def test_a_failure_part_way_puts_the_previous_set_back(tmp_path):
    out = tmp_path / "out"
    before = previous_set(out, {"p.docx": b"old docx", "p.pdf": b"old pdf"})
    stage, files = stage_new_set(out, {"p.docx": b"new docx", "p.pdf": b"new pdf", "z.xlsx": b"new"})
    (out / "z.xlsx").mkdir()  # renaming a file over a folder fails, after p.docx and p.pdf are in

    with pytest.raises(OSError):
        publish_set(stage, out, files)

    assert contents(out) == before
    assert not (out / JOURNAL).exists()


def journal_left_by_a_killed_build(out: Path, moved: int) -> dict[str, bytes]:
    """The state a build killed after ``moved`` renames leaves (journal written, backups made); returns the previous set."""
    from builder.build import publish

    before = previous_set(out, {"p.docx": b"old docx", "p.pdf": b"old pdf"})
    new = {"p.docx": b"new docx", "p.pdf": b"new pdf"}
    stage, files = stage_new_set(out, new)
    journal = Journal(stage.name, files, [])
    journal.write(out)
    backups = stage / publish.BACKUPS
    backups.mkdir()
    for name in ("p.docx", "p.pdf", MANIFEST):
        os.link(out / name, backups / name)
    for item in sorted(files, key=lambda f: f.name == MANIFEST)[:moved]:
        os.replace(stage / item.name, out / item.name)
    return before


@pytest.mark.parametrize("moved", [0, 1, 2])
def test_the_next_build_completes_a_set_a_killed_build_left_half_published(tmp_path, moved):
    out = tmp_path / "out"
    journal_left_by_a_killed_build(out, moved)

    notes = recover(out)

    assert notes == [f"{out}: completed the set an interrupted build was publishing"]
    after = contents(out)
    assert after["p.docx"] == b"new docx" and after["p.pdf"] == b"new pdf"
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "p.docx", "p.pdf"]  # no journal, no staging


def test_the_next_build_puts_the_previous_set_back_when_the_new_one_cannot_be_completed(tmp_path):
    out = tmp_path / "out"
    before = journal_left_by_a_killed_build(out, 1)
    (out / f"{STAGING_PREFIX}test" / "p.pdf").unlink()  # a file of the new set is gone: it cannot be whole

    notes = recover(out)

    assert notes == [f"{out}: put back the previous set an interrupted build had begun to replace"]
    assert contents(out) == before
    assert sorted(p.name for p in out.iterdir()) == sorted(before)


def test_stale_staging_folders_go_and_a_running_builds_stays(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f"{STAGING_PREFIX}dead"
    (stale / "charts").mkdir(parents=True)
    (stale / "p.docx").write_bytes(b"half")
    with staging(out) as running:
        assert recover(out) == []
        assert running.is_dir() and not stale.exists()
    assert list(out.iterdir()) == []


def test_a_running_builds_staging_folder_is_locked(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with staging(out) as stage, pytest.raises(BlockingIOError):
        lock(stage, wait=False)


def test_a_journal_cannot_point_outside_the_output_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (out / JOURNAL).write_text(
        json.dumps({"stage": "..", "files": [], "retire": ["../victim.txt", "/etc/passwd"]}), encoding="utf-8"
    )
    assert Journal.read(out) is None
    recover(out)
    assert victim.read_text() == "keep me" and not (out / JOURNAL).exists()


def test_a_previous_manifest_cannot_remove_files_outside_the_set(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "victim.txt").write_text("keep me")
    (out / "p.docx").write_bytes(b"old")
    (out / MANIFEST).write_text(json.dumps({"outputs": ["../victim.txt", ".hidden", "p.docx"]}))
    stage, files = stage_new_set(out, {"q.docx": b"new"})
    assert publish_set(stage, out, files).removed == ["p.docx"]
    assert (tmp_path / "victim.txt").read_text() == "keep me"


def test_an_output_folder_that_is_a_file_is_one_line(tmp_path):
    target = tmp_path / "out"
    target.write_text("a file")
    with pytest.raises(OutputError, match="this is a file, not a folder; choose another --output-dir"), staging(target):
        pass


@pytest.mark.parametrize(
    ("code", "says"),
    [
        (errno.ENOSPC, "cannot write it (the disk is full); free some space"),
        (errno.EFBIG, "cannot write it (the file is larger than this process may write (a file-size limit))"),
        (errno.EACCES, "cannot write it (permission denied); choose a folder you can write to"),
        (errno.EROFS, "cannot write it (the disk is read-only)"),
    ],
)
def test_a_write_error_names_the_file_as_it_would_be_published(tmp_path, code, says):
    stage = tmp_path / "out" / f"{STAGING_PREFIX}x"
    error = OSError(code, os.strerror(code), str(stage / "pack.docx"))
    assert cannot_write(error, tmp_path / "out", stage).startswith(f"{tmp_path / 'out' / 'pack.docx'}: {says}")


def test_a_build_publishes_its_set_says_each_stage_and_names_no_home_folder(tmp_path):
    """In a log (no terminal), one plain line per stage; the manifest lists every file with its SHA-256."""
    import hashlib

    from conftest import ROOT, invoke
    from data_helpers import street_folder

    config = ROOT / "config" / "policeuk.yaml"
    data = street_folder(tmp_path / "force")
    out = tmp_path / "out"
    args = ["--config", str(config), "--data", str(data), "--output-dir", str(out), "--window-months", "2"]
    result = invoke("build", *args, "--no-pdf", "--no-cache")
    assert result.exit_code == 0, result.stderr
    said = result.stdout.splitlines()
    assert said[:3] == ["perfpack: reading the config", "perfpack: loading the data", "perfpack: computing the figures"]
    assert "perfpack: publishing the set" in said and said[-1].startswith("Built 1 pack")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["config"]["path"] == "config/policeuk.yaml"  # relative to the project
    assert str(Path.home()) not in json.dumps(manifest)
    listed = {o["name"]: o["sha256"] for o in manifest["outputs"]}
    assert sorted(listed) == sorted(p.name for p in out.iterdir() if p.name != MANIFEST)
    for name, sha in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha


@pytest.mark.parametrize("manifest", ['{"outputs": 5}', "[]", '{"outputs": [{"name": 5}, "../x", null]}'])
def test_a_manifest_perfpack_did_not_write_retires_nothing(tmp_path: Path, manifest: str) -> None:
    """A foreign or damaged manifest in the output folder names no previous set: nothing to remove, no crash."""
    from builder.build.publish import previous_set as listed_before

    (tmp_path / "x").write_text("kept", encoding="utf-8")
    (tmp_path / MANIFEST).write_text(manifest, encoding="utf-8")
    assert listed_before(tmp_path) == []
