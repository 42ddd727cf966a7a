"""Embed each command's --help output in the docs, so they cannot drift from the code.

Between ``<!-- help:COMMAND -->`` and ``<!-- /help -->`` in the files below, the text
is replaced by ``perfpack COMMAND --help`` as a fenced block, rendered at a fixed
width so it is the same on every machine. tests/test_docs.py fails when it is stale.

Usage: python scripts/embed_help.py [--check]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DOCS = (ROOT / "docs" / "authoring.md",)
WIDTH = 100
MARKER = re.compile(
    r"(?P<open><!-- help:(?P<command>[a-z][a-z -]*?) -->\n)(?P<body>.*?)(?P<close><!-- /help -->)", re.DOTALL
)


def help_text(command: str) -> str:
    """``perfpack COMMAND --help`` exactly as a user sees it in a 100-column terminal."""
    from builder.cli import cli

    result = CliRunner().invoke(cli, [*command.split(), "--help"], prog_name="perfpack", terminal_width=WIDTH)
    if result.exit_code != 0:
        raise SystemExit(f"perfpack {command} --help failed: {result.output}")
    return result.output


def refreshed(text: str) -> str:
    """The document with every help block replaced by the current help."""

    def block(match: re.Match[str]) -> str:
        body = help_text(match["command"]).rstrip("\n")
        return f"{match['open']}```text\n{body}\n```\n{match['close']}"

    return MARKER.sub(block, text)


def embedded_commands(text: str) -> list[str]:
    """The commands whose help a document embeds, in order."""
    return [m["command"] for m in MARKER.finditer(text)]


def main(argv: list[str]) -> int:
    """Rewrite stale docs; with --check only name them and exit 1."""
    stale = [path for path in DOCS if refreshed(path.read_text(encoding="utf-8")) != path.read_text(encoding="utf-8")]
    for path in stale:
        if "--check" in argv:
            print(f"stale: {path.relative_to(ROOT)}; run python scripts/embed_help.py")
        else:
            path.write_text(refreshed(path.read_text(encoding="utf-8")), encoding="utf-8")
            print(f"updated {path.relative_to(ROOT)}")
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
