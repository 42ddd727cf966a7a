"""Imported once by the chart server (the fork server the workers come from), never by a build.

A process started by ``multiprocessing`` first runs the parent's main script again, as
``__mp_main__``, unless the process it is forked from already stands for that script. For
a build run from a plain script without an ``if __name__ == "__main__":`` guard, that
would start a second build inside every chart worker. Workers need only the chart code,
so the server's own ``__main__`` is marked as standing for the build's main script
(without running it): the parent names the script in the environment before it starts
the server (``main_marker``), and the workers forked from here skip it.

The server and every worker forked from it also ask the kernel to kill them when their
parent dies (``lifetime.die_with_parent``): a worker holds the pipes that would tell it
the build is gone, so without this a build killed with SIGKILL would leave the server and
its workers waiting for ever.
"""

from __future__ import annotations

import os
import sys
from importlib.machinery import ModuleSpec

from builder.lifetime import die_with_parent
from builder.runtime import end_at_exit

MAIN_PATH_ENV = "PERFPACK_MAIN_PATH"
MAIN_NAME_ENV = "PERFPACK_MAIN_NAME"
BUILD_PID_ENV = "PERFPACK_BUILD_PID"


def main_marker() -> dict[str, str]:
    """The environment that tells the server which main script (path or module) the build runs from."""
    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None)
    build = {BUILD_PID_ENV: str(os.getpid())}
    if name:
        return {MAIN_NAME_ENV: name, **build}
    path = getattr(main, "__file__", None)
    return {MAIN_PATH_ENV: os.path.normpath(os.path.abspath(path)), **build} if path else build


def _stand_for_parent_main() -> None:
    """In the server: make ``__main__`` look like the parent's main script, so workers do not run it."""
    main = sys.modules["__main__"]
    if os.environ.get(MAIN_PATH_ENV):
        main.__file__ = os.environ[MAIN_PATH_ENV]
    if os.environ.get(MAIN_NAME_ENV):
        main.__spec__ = ModuleSpec(os.environ[MAIN_NAME_ENV], None)


def _die_with_the_build() -> None:
    """In the server: go when the build goes, and have every worker forked from here go with the server."""
    build = os.environ.get(BUILD_PID_ENV, "")
    die_with_parent(int(build) if build.isdigit() else None)
    server = os.getpid()
    os.register_at_fork(after_in_child=lambda: die_with_parent(server))


if __name__ != "__main__" and os.environ.get("PERFPACK_CHART_SERVER") == "1":
    # The server exits with the build; its teardown took about half a second, which a
    # caller reading the build's output to its end (``perfpack build | tee``, the tests)
    # waited for.
    _stand_for_parent_main()
    _die_with_the_build()
    end_at_exit([0])
