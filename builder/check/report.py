"""The checker's findings: problems, one result per rule, and the short report a user reads.

Kept free of any file format so the command line, the build and the tests all read
the same object: ``report.ok`` for an exit code, ``report.problems`` for assertions,
``report.format()`` for people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SHOWN_PER_RULE = 12
"""Problems listed per rule in the text report; the rest are counted, so a broken
style that touches 800 table cells still gives a report that fits on a screen."""


@dataclass(frozen=True)
class Problem:
    """One thing a reader with a screen reader, low vision or a print-out would trip over."""

    rule: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.where}: {self.message}"


@dataclass
class RuleResult:
    """What one rule looked at (``checked``, e.g. '15 pictures') and what it found."""

    rule: str
    title: str
    checked: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the rule found nothing."""
        return not self.problems


@dataclass
class PackReport:
    """Every rule's result for one pack (.docx and, when there are, its PDF and web page), or a web page alone."""

    docx: Path | None
    pdf: Path | None = None
    results: list[RuleResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    html: Path | None = None

    @property
    def ok(self) -> bool:
        """True when no rule found a problem (what ``--strict`` requires)."""
        return not self.problems

    def add(self, result: RuleResult) -> None:
        """Record a rule's result; its problems join the report's list."""
        self.results.append(result)
        self.problems.extend(result.problems)

    def add_problem(self, problem: Problem) -> None:
        """Record a problem that no rule result carries, e.g. a file that cannot be opened."""
        self.problems.append(problem)

    def problems_for(self, rule: str) -> list[Problem]:
        """The problems of one rule, for tests and for callers that care about one rule."""
        return [p for p in self.problems if p.rule == rule]

    @property
    def rules_failed(self) -> list[str]:
        """Names of the rules with at least one problem, in the order they were found."""
        return list(dict.fromkeys(p.rule for p in self.problems))

    def format(self) -> str:
        """The short text report: one line per rule, then each problem, then a summary line."""
        lines = [self._heading()]
        width = max((len(r.rule) for r in self.results), default=10)
        for result in self.results:
            status = "ok  " if result.ok else "FAIL"
            found = "" if result.ok else f": {counted(len(result.problems), 'problem')}"
            lines.append(f"  {status}  {result.rule:<{width}}  {result.title} ({result.checked}{found})")
        lines.extend(f"  note: {note}" for note in self.notes)
        if self.problems:
            lines.append("Problems:")
            lines.extend(self._problem_lines())
        lines.append(self.summary())
        return "\n".join(lines)

    def summary(self) -> str:
        """One line: passed or failed, with counts."""
        rules = counted(len(self.results), "rule")
        if self.ok:
            return f"Passed: {rules} checked, no problems found."
        failed = ", ".join(self.rules_failed)
        return f"Failed: {counted(len(self.problems), 'problem')} ({failed}); {rules} checked."

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` output or a CI artefact."""
        return {
            "docx": str(self.docx) if self.docx else None,
            "pdf": str(self.pdf) if self.pdf else None,
            "html": str(self.html) if self.html else None,
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "notes": list(self.notes),
            "rules": [
                {"rule": r.rule, "title": r.title, "checked": r.checked, "ok": r.ok, "problems": len(r.problems)}
                for r in self.results
            ],
            "problems": [{"rule": p.rule, "where": p.where, "message": p.message} for p in self.problems],
        }

    def _heading(self) -> str:
        names = [p.name for p in (self.docx, self.pdf, self.html) if p is not None]
        checked = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
        return f"Accessibility check of {checked}"

    def _problem_lines(self) -> list[str]:
        """Problems grouped by rule, at most SHOWN_PER_RULE each, the rest counted."""
        lines: list[str] = []
        for rule in self.rules_failed:
            found = self.problems_for(rule)
            lines.extend(f"  {problem}" for problem in found[:SHOWN_PER_RULE])
            if len(found) > SHOWN_PER_RULE:
                lines.append(f"  [{rule}] … and {len(found) - SHOWN_PER_RULE} more")
        return lines


def counted(n: int, noun: str) -> str:
    """'1 table', '14 tables': what a rule checked, in words."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
