"""The files ``perfpack new`` starts a project from, shipped inside the package.

``pack.yaml`` and ``pack.docx`` are copies of the repository's ``config/pack.yaml`` and
``templates/pack.docx``: an installed wheel has no repository beside it, so the
defaults must travel as package data. ``scripts/sync_defaults.py`` refreshes the
copies and ``tests/test_new.py`` fails when they drift. ``project-README.md`` is the
authors' README written into every new project.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path
from shutil import copyfile

CONFIG = "pack.yaml"
TEMPLATE = "pack.docx"
README = "project-README.md"


def read_text(name: str) -> str:
    """The text of a bundled default, wherever the package is installed."""
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def copy_to(name: str, target: Path) -> None:
    """Copy a bundled default to ``target`` byte for byte (the template is binary)."""
    with as_file(files(__name__).joinpath(name)) as source:
        copyfile(source, target)
