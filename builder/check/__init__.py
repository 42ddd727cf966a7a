"""Accessibility checks of a built pack (.docx, PDF and web page): ``check_pack(docx) -> PackReport``."""

from builder.check.pack import check_html, check_pack
from builder.check.report import PackReport, Problem, RuleResult

__all__ = ["PackReport", "Problem", "RuleResult", "check_html", "check_pack"]
