"""Imported once by the chart server (the fork server the workers come from), never by a build.

A process started by ``multiprocessing`` first runs the parent's main script again, as
``__mp_main__``, unless the process it is forked from already stands for that script. For
a build run from a plain script without an ``if __name__ == "__main__":`` guard, that
would start a second build inside every chart worker. Workers need only the chart code,
so the server's own ``__main__`` is marked as standing for the build's main script
(without running it): the parent names the script in the environment before it starts
the server (``main_marker``), and the workers forked from here skip it.
"""

from __future__ import annotations

import os
import sys
from importlib.machinery import ModuleSpec

MAIN_PATH_ENV = "PERFPACK_MAIN_PATH"
MAIN_NAME_ENV = "PERFPACK_MAIN_NAME"


def main_marker() -> dict[str, str]:
    """The environment that tells the server which main script (path or module) the build runs from."""
    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None)
    if name:
        return {MAIN_NAME_ENV: name}
    path = getattr(main, "__file__", None)
    return {MAIN_PATH_ENV: os.path.normpath(os.path.abspath(path))} if path else {}


def _stand_for_parent_main() -> None:
    """In the server: make ``__main__`` look like the parent's main script, so workers do not run it."""
    main = sys.modules["__main__"]
    if os.environ.get(MAIN_PATH_ENV):
        main.__file__ = os.environ[MAIN_PATH_ENV]
    if os.environ.get(MAIN_NAME_ENV):
        main.__spec__ = ModuleSpec(os.environ[MAIN_NAME_ENV], None)


if __name__ != "__main__" and os.environ.get("PERFPACK_CHART_SERVER") == "1":
    _stand_for_parent_main()
