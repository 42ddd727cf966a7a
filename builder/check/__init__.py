"""Accessibility checks of a built pack (.docx and PDF): ``check_pack(docx) -> PackReport``."""

from builder.check.pack import check_pack
from builder.check.report import PackReport, Problem, RuleResult

__all__ = ["PackReport", "Problem", "RuleResult", "check_pack"]
