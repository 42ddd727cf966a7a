"""The files ``perfpack new`` starts a project from, shipped inside the package.

``pack.yaml``, ``pack.docx`` and ``pack.html.j2`` are copies of the repository's
``config/pack.yaml``, ``templates/pack.docx`` and ``templates/pack.html.j2`` (the build
falls back on the two templates when a project has none): an installed wheel has no
repository beside it, so the defaults must travel as package data. ``scripts/sync_defaults.py`` refreshes the
copies and ``tests/test_new.py`` fails when they drift. ``project-README.md`` is the
authors' README written into every new project.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path
from shutil import copyfile

CONFIG = "pack.yaml"
TEMPLATE = "pack.docx"
HTML_TEMPLATE = "pack.html.j2"
README = "project-README.md"


def read_text(name: str) -> str:
    """The text of a bundled default, wherever the package is installed."""
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def copy_to(name: str, target: Path) -> None:
    """Copy a bundled default to ``target`` byte for byte (the template is binary)."""
    with as_file(files(__name__).joinpath(name)) as source:
        copyfile(source, target)
