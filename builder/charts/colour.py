"""WCAG 2.x colour contrast, kept free of matplotlib so any checker can reuse it.

The public sector accessibility regulations point at WCAG 2.1 AA: text needs a
contrast of 4.5:1 against its background and the graphical parts of a chart
(bars, lines, markers) need 3:1 (success criterion 1.4.11). The charts use
these functions to choose colours, the tests to prove them, and the pack
checker to check what ends up in the document.
"""

from __future__ import annotations

from collections.abc import Sequence

Colour = str | Sequence[float]
"""A hex string ("#12436D", "12436D", "#FFF") or an RGB(A) tuple of floats in 0..1."""

TEXT_MIN_CONTRAST = 4.5
"""WCAG 1.4.3 (AA): minimum contrast of normal-size text."""

GRAPHICS_MIN_CONTRAST = 3.0
"""WCAG 1.4.11 (AA): minimum contrast of graphical objects such as chart marks."""

WHITE = "#FFFFFF"


def to_rgb(colour: Colour) -> tuple[float, float, float]:
    """Return ``colour`` as three floats in 0..1, ignoring any alpha.

    Only hex strings and float tuples are accepted, so that a checker reading
    colours out of a .docx (``"1F4E79"``) and a chart test reading them out of
    matplotlib (``(0.07, 0.26, 0.43, 1.0)``) get identical answers.
    """
    if isinstance(colour, str):
        return _hex_to_rgb(colour)
    channels = tuple(float(c) for c in colour)
    if len(channels) not in (3, 4) or not all(0.0 <= c <= 1.0 for c in channels):
        raise ValueError(f"expected 3 or 4 floats in 0..1, got {colour!r}")
    return channels[0], channels[1], channels[2]


def _hex_to_rgb(text: str) -> tuple[float, float, float]:
    """Parse "#RGB", "#RRGGBB" or "#RRGGBBAA" (the "#" optional)."""
    digits = text.strip().lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    if len(digits) not in (6, 8):
        raise ValueError(f"not a hex colour: {text!r}")
    try:
        values = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    except ValueError:
        raise ValueError(f"not a hex colour: {text!r}") from None
    return values[0], values[1], values[2]


def _linearise(channel: float) -> float:
    """Undo the sRGB gamma curve, as WCAG's definition requires."""
    if channel <= 0.04045:
        return channel / 12.92
    return ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: Colour) -> float:
    """Return the WCAG relative luminance of ``colour`` (0 for black, 1 for white)."""
    red, green, blue = (_linearise(c) for c in to_rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: Colour, background: Colour = WHITE) -> float:
    """Return the WCAG contrast ratio between two colours, from 1.0 to 21.0.

    The order of the two colours does not matter: WCAG always divides the
    lighter luminance by the darker.
    """
    first = relative_luminance(foreground)
    second = relative_luminance(background)
    lighter, darker = max(first, second), min(first, second)
    return (lighter + 0.05) / (darker + 0.05)


def meets_contrast(foreground: Colour, background: Colour = WHITE, minimum: float = GRAPHICS_MIN_CONTRAST) -> bool:
    """Say whether two colours reach ``minimum`` contrast (3:1 for chart marks by default)."""
    return contrast_ratio(foreground, background) >= minimum
