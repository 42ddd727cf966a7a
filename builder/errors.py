"""Domain errors, raised low and turned into one clean line at the command line.

Every error a user can cause (bad YAML, bad data, a missing converter) is a
``PerfpackError``; the CLI prints ``str(error)`` and exits with ``exit_code``,
so no traceback ever reaches an analyst or an author.
"""

from __future__ import annotations


class PerfpackError(Exception):
    """Base class: a problem the user can fix, with a one-line message."""

    exit_code = 1

    def nothing_published(self) -> PerfpackError:
        """The same error, saying that the build published nothing (for a failed build).

        A one-line message gains '; nothing was published'; a list of problems gains a
        last line saying so.
        """
        message = str(self)
        if "nothing was published" in message.lower():
            return self
        if "\n" in message:
            self.args = (f"{message}\nNothing was published; the previous pack is as it was.",)
        else:
            self.args = (f"{message}; nothing was published",)
        return self


class ConfigError(PerfpackError):
    """The YAML config is malformed or fails validation."""

    exit_code = 2


class DataError(PerfpackError):
    """The input data cannot be read or fails validation."""

    exit_code = 2


class NarrativeError(PerfpackError):
    """A narrative template cannot be rendered (undefined name, syntax, sandbox)."""

    exit_code = 2


class ConversionError(PerfpackError):
    """The PDF could not be produced (LibreOffice missing, failed or timed out)."""

    exit_code = 3


class StrictError(PerfpackError):
    """A strict build (``--strict`` or ``strict: true``) met warnings: nothing was published.

    It carries the warnings so the command can print them, one per line, before its own.
    """

    exit_code = 1

    def __init__(self, message: str, warnings: list[object] | None = None) -> None:
        super().__init__(message)
        self.warnings = warnings or []


class OutputError(PerfpackError):
    """The pack cannot be written: the output folder is a file, not writable, or the disk is full."""

    exit_code = 2
