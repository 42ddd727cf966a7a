"""The authors' guide: linked from the README, and its embedded --help never stale."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

import pytest
from conftest import ROOT

from builder.cli import cli

GUIDE = ROOT / "docs" / "authoring.md"
README = ROOT / "README.md"


def embed_help() -> ModuleType:
    """scripts/embed_help.py, loaded as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("embed_help", ROOT / "scripts" / "embed_help.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_embedded_help_is_current():
    text = GUIDE.read_text(encoding="utf-8")
    assert embed_help().refreshed(text) == text, "docs/authoring.md is stale: run python scripts/embed_help.py"


@pytest.mark.parametrize("command", ["new", "watch", "preview", "build", "check", "figures", "schema"])
def test_guide_embeds_the_help_of_each_authoring_command(command: str):
    assert command in embed_help().embedded_commands(GUIDE.read_text(encoding="utf-8"))
    assert command in cli.commands


def test_help_is_the_same_at_any_terminal_width(monkeypatch: pytest.MonkeyPatch):
    module = embed_help()
    monkeypatch.setenv("COLUMNS", "40")
    narrow = module.help_text("build")
    monkeypatch.setenv("COLUMNS", "200")
    assert module.help_text("build") == narrow


def test_readme_links_the_guide_and_the_vs_code_note():
    readme = README.read_text(encoding="utf-8")
    assert "](docs/authoring.md)" in readme
    assert re.search(r"^#+ Editing in VS Code$", readme, re.MULTILINE)
    assert "yaml-language-server: $schema=../schema/perfpack.schema.json" in readme


def test_guide_links_resolve_to_its_own_headings():
    text = GUIDE.read_text(encoding="utf-8")
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in re.findall(r"^#+ (.+)$", text, re.MULTILINE)
    }
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links and not [link for link in links if link not in anchors]
