"""Refresh builder/defaults/ from the repository's sample config, Word template and HTML template.

``perfpack new`` copies builder/defaults/pack.yaml, pack.docx and pack.html.j2 into a new project,
because an installed wheel cannot see config/ and templates/. Run this after editing
either original; tests/test_new.py fails until you do.

Usage: python scripts/sync_defaults.py [--check]
"""

from __future__ import annotations

import filecmp
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = ROOT / "builder" / "defaults"
COPIES = {
    ROOT / "config" / "pack.yaml": DEFAULTS / "pack.yaml",
    ROOT / "templates" / "pack.docx": DEFAULTS / "pack.docx",
    ROOT / "templates" / "pack.html.j2": DEFAULTS / "pack.html.j2",
}


def stale() -> list[Path]:
    """The bundled copies that differ from their originals (or are missing)."""
    return [
        copy for original, copy in COPIES.items() if not copy.exists() or not filecmp.cmp(original, copy, shallow=False)
    ]


def main(argv: list[str]) -> int:
    """Copy the originals over stale defaults; with --check only report them (exit 1)."""
    outdated = stale()
    if "--check" in argv:
        for path in outdated:
            print(f"stale: {path.relative_to(ROOT)}")
        return 1 if outdated else 0
    for original, copy in COPIES.items():
        if copy in outdated:
            shutil.copyfile(original, copy)
            print(f"updated {copy.relative_to(ROOT)} from {original.relative_to(ROOT)}")
    if not outdated:
        print("builder/defaults/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
