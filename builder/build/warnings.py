"""Every warning a pack gets before it is published, gathered in one place.

``build`` and ``check`` print the same list and ``--strict`` (or ``strict: true``) stops
on it, so what an author sees in ``perfpack check`` is exactly what would stop a
scheduled build: typed figures the data do not bear out (in every ``--by`` pack, since
the narrative is shared), placeholders that print raw numbers, text left to replace,
and months of the data that look incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from builder.config.load import LoadedConfig
    from builder.figures.completeness import Completeness
    from builder.narrative.fields import NarrativeField
    from builder.narrative.unformatted import Printed


@dataclass(frozen=True)
class PackText:
    """One pack as its warnings see it: its name, its placeholder context and the text it prints."""

    name: str
    context: dict[str, Any]
    fields: tuple[NarrativeField, ...] | None = None
    """A local pack's own text and the force's it keeps; None: every narrative field of the config."""


@dataclass(frozen=True)
class ScopedWarning:
    """A typed figure that is right for the force but not in some ``--by`` packs (the first one's figures)."""

    warning: Any
    packs: tuple[str, ...]

    def __str__(self) -> str:
        more = f" and {len(self.packs) - 1} more" if len(self.packs) > 1 else ""
        return f"{self.warning} (in the {self.packs[0]} pack{more})"


def publish_warnings(
    loaded: LoadedConfig,
    whole: dict[str, Any],
    packs: list[PackText],
    raw: list[Printed],
    completeness: Completeness | None,
) -> list[Any]:
    """The warnings of a build, in the order an author fixes them: narrative by line, then the data.

    ``whole`` is the force's placeholder context; ``packs`` each pack's name, context and
    text (a ``--by`` pack's typed figures are checked against its own figures too); ``raw``
    the placeholders that printed raw numbers; ``completeness`` the force's data.
    """
    from builder.narrative.factcheck import fact_check_warnings, has_typed_figures
    from builder.narrative.fields import narrative_fields
    from builder.narrative.leftovers import leftover_warnings
    from builder.narrative.typed import typed_figures
    from builder.narrative.unformatted import unformatted_warnings

    narrative: list[Any] = [*fact_check_warnings(loaded, whole)]
    own = [f for pack in packs for f in pack.fields or () if f.origin is not None]  # text for one place
    if has_typed_figures(loaded) or any(next(typed_figures(f.source), None) is not None for f in own):
        narrative += _scoped(loaded, whole, packs, {(w.line, w.literal) for w in narrative})
    fields = {f.source_location: f for f in [*narrative_fields(loaded), *own]}
    narrative += unformatted_warnings(loaded, raw, fields)
    narrative += leftover_warnings(loaded)
    narrative.sort(key=_line)
    return [*_unique(narrative), *(completeness.warnings() if completeness else [])]


def _scoped(
    loaded: LoadedConfig, whole: dict[str, Any], packs: list[PackText], done: set[tuple[int, str]]
) -> list[ScopedWarning]:
    """Typed figures wrong in some ``--by`` packs only, one warning each naming the packs."""
    from builder.narrative.factcheck import fact_check_warnings

    found: dict[tuple[int, str], tuple[Any, list[str]]] = {}
    for pack in packs:
        if pack.context is whole:
            continue
        for warning in fact_check_warnings(loaded, pack.context, pack.fields):
            key = (warning.line, warning.literal)
            if key not in done:
                found.setdefault(key, (warning, []))[1].append(pack.name)
    return [ScopedWarning(warning, tuple(names)) for warning, names in found.values()]


def _line(warning: Any) -> int:
    inner = warning.warning if isinstance(warning, ScopedWarning) else warning
    return int(getattr(inner, "line", 0))


def _unique(warnings: list[Any]) -> list[Any]:
    """Each warning once, in order."""
    seen: dict[str, Any] = {}
    for warning in warnings:
        seen.setdefault(str(warning), warning)
    return list(seen.values())
