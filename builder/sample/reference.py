"""The golden figures the sample must reproduce, and the calendar it spans.

The counts are copied from the published 2018 pack's All Crime and NPT tables
(``shared/reference/*.csv``). They live here as constants rather than being read
at run time so that the installed package can build its sample anywhere; the
tests read the CSVs independently, so a typo here cannot go unnoticed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import numpy as np

SAMPLE_FORCE: Final[str] = "Staffordshire Police"
SAMPLE_POPULATION: Final[int] = 1_131_100

# Month 0 is October 2015; the sample holds 36 whole months to September 2018.
FIRST_MONTH: Final[dt.date] = dt.date(2015, 10, 1)
N_MONTHS: Final[int] = 36
LAST_DAY: Final[dt.date] = dt.date(2018, 9, 30)
YEAR1: Final[slice] = slice(0, 12)
PREVIOUS: Final[slice] = slice(12, 24)
LAST: Final[slice] = slice(24, 36)
WINDOWS: Final[tuple[slice, slice, slice]] = (YEAR1, PREVIOUS, LAST)

# (crime type, last 12, previous 12, date basis) in the pack's table order.
_CRIME_TYPES: Final = (
    ("Theft Of Motor Vehicles", 1907, 1371, "committed"),
    ("Personal Robbery", 799, 634, "committed"),
    ("Possession of weapons", 721, 595, "committed"),
    ("Burglary Business and Community", 2217, 1939, "committed"),
    ("Business Robbery", 129, 115, "committed"),
    ("Rape", 1140, 1025, "recorded"),
    ("Other Violence against the person", 18955, 17297, "committed"),
    ("Other Serious Sexual Offences", 1561, 1454, "recorded"),
    ("Less Serious Violent Crime with Injury", 9864, 9951, "committed"),
    ("Criminal Damage (exc Arson)", 10479, 10603, "committed"),
    ("Other Theft", 17948, 18358, "committed"),
    ("Public Order", 4197, 4299, "committed"),
    ("Arson", 483, 503, "committed"),
    ("Theft From Motor Vehicles", 3151, 3365, "committed"),
    ("Other Sexual Offences", 640, 684, "recorded"),
    ("More Serious Violent Crime with Injury", 854, 937, "committed"),
    ("Burglary Residential", 3850, 4287, "committed"),
    ("Other Offences", 1660, 1877, "committed"),
    ("Handling stolen goods", 64, 73, "committed"),
    ("Drug Offences", 1802, 2218, "recorded"),
    ("Vehicle interference", 589, 739, "committed"),
)

CRIME_TYPES: Final[tuple[str, ...]] = tuple(row[0] for row in _CRIME_TYPES)
TYPE_LAST: Final[np.ndarray] = np.array([row[1] for row in _CRIME_TYPES], dtype=np.int64)
TYPE_PREVIOUS: Final[np.ndarray] = np.array([row[2] for row in _CRIME_TYPES], dtype=np.int64)
RECORDED_BASIS: Final[np.ndarray] = np.array([str(row[3]) == "recorded" for row in _CRIME_TYPES])

# Year-1 (Oct 2015 - Sep 2016) totals are not in the pack; chosen so that rising
# types keep rising, falling types were a little higher, and all crime rises.
TYPE_YEAR1: Final[Mapping[str, int]] = MappingProxyType(
    {
        "Theft Of Motor Vehicles": 1000,
        "Personal Robbery": 571,
        "Possession of weapons": 505,
        "Burglary Business and Community": 1930,
        "Business Robbery": 104,
        "Rape": 930,
        "Other Violence against the person": 15600,
        "Other Serious Sexual Offences": 1360,
        "Less Serious Violent Crime with Injury": 9900,
        "Criminal Damage (exc Arson)": 10650,
        "Other Theft": 18450,
        "Public Order": 4300,
        "Arson": 510,
        "Theft From Motor Vehicles": 3440,
        "Other Sexual Offences": 700,
        "More Serious Violent Crime with Injury": 960,
        "Burglary Residential": 4450,
        "Other Offences": 1950,
        "Handling stolen goods": 78,
        "Drug Offences": 2230,
        "Vehicle interference": 800,
    }
)

# (NPT, last 12, previous 12, area) in the pack's table order; areas are sample config.
_NPTS: Final = (
    ("SOT South", 14221, 13345, "North"),
    ("SOT North", 15932, 15432, "North"),
    ("Lichfield", 5546, 5489, "East"),
    ("Moorlands", 4700, 4702, "North"),
    ("South Staffs", 5567, 5586, "West"),
    ("Stafford", 7954, 8025, "West"),
    ("Cannock", 6851, 6931, "West"),
    ("East Staffs", 8104, 8260, "East"),
    ("Tamworth", 5659, 5778, "East"),
    ("Newcastle", 8476, 8776, "North"),
)

NPTS: Final[tuple[str, ...]] = tuple(row[0] for row in _NPTS)
NPT_LAST: Final[np.ndarray] = np.array([row[1] for row in _NPTS], dtype=np.int64)
NPT_PREVIOUS: Final[np.ndarray] = np.array([row[2] for row in _NPTS], dtype=np.int64)
AREAS: Final[tuple[str, ...]] = ("North", "East", "West")
NPT_AREA: Final[np.ndarray] = np.array([AREAS.index(row[3]) for row in _NPTS], dtype=np.int8)

# Theme rows by NPT as {npt: (previous, last)}: designed by hand to tell the pack's story.
THEME_NPT_ROWS: Final[Mapping[str, Mapping[str, tuple[int, int]]]] = MappingProxyType(
    {
        "Personal Robbery": {
            "SOT South": (150, 210),
            "SOT North": (140, 214),
            "Newcastle": (70, 86),
            "Moorlands": (28, 14),
            "East Staffs": (55, 68),
            "Lichfield": (30, 36),
            "Tamworth": (45, 52),
            "Stafford": (50, 47),
            "Cannock": (46, 50),
            "South Staffs": (20, 22),
        },
        "Theft Of Motor Vehicles": {
            "SOT South": (200, 270),
            "SOT North": (210, 290),
            "Lichfield": (90, 165),
            "Moorlands": (70, 85),
            "South Staffs": (82, 154),
            "Stafford": (150, 200),
            "Cannock": (160, 215),
            "East Staffs": (150, 190),
            "Tamworth": (109, 140),
            "Newcastle": (150, 198),
        },
        "Burglary Business and Community": {
            "SOT South": (330, 365),
            "SOT North": (340, 380),
            "Lichfield": (120, 160),
            "Moorlands": (110, 102),
            "South Staffs": (110, 150),
            "Stafford": (200, 225),
            "Cannock": (170, 225),
            "East Staffs": (220, 210),
            "Tamworth": (150, 140),
            "Newcastle": (189, 260),
        },
        "Drug Offences": {
            "SOT South": (480, 410),
            "SOT North": (450, 375),
            "Lichfield": (140, 115),
            "Moorlands": (100, 80),
            "South Staffs": (120, 98),
            "Stafford": (250, 160),
            "Cannock": (180, 145),
            "East Staffs": (200, 160),
            "Tamworth": (160, 145),
            "Newcastle": (138, 114),
        },
    }
)
THEMES: Final[tuple[str, ...]] = tuple(THEME_NPT_ROWS)

DRUG_TYPE = CRIME_TYPES.index("Drug Offences")
DRUG_OFFENCE_TYPES: Final[tuple[str, ...]] = (
    "Possession of cannabis",
    "Possession of other drugs",
    "Supply",
    "Production",
    "Other drug offences",
)
DRUG_OFFENCE_SHARES: Final[np.ndarray] = np.array([0.50, 0.22, 0.15, 0.05, 0.08])
POSITIVE_OUTCOMES: Final[tuple[str, ...]] = ("Charge", "Caution", "Community resolution")
ASB_CATEGORY: Final[str] = "Drug-related ASB"


def month_start(month: int) -> dt.date:
    """First day of sample month ``month`` (0 = October 2015)."""
    absolute = FIRST_MONTH.month - 1 + month
    return dt.date(FIRST_MONTH.year + absolute // 12, absolute % 12 + 1, 1)


def month_starts_days() -> np.ndarray:
    """Days since 1970-01-01 of each month start, plus the day after the last month.

    Expressed as epoch days so dates can be drawn for millions of rows with
    integer arithmetic and handed to Arrow as ``date32`` without parsing.
    """
    starts = [month_start(m) for m in range(N_MONTHS + 1)]
    return np.array([(d - dt.date(1970, 1, 1)).days for d in starts], dtype=np.int64)


def theme_row(theme: str, window: int) -> np.ndarray:
    """NPT counts of a theme in table order for window 1 (previous) or 2 (last)."""
    rows = THEME_NPT_ROWS[theme]
    return np.array([rows[npt][window - 1] for npt in NPTS], dtype=np.int64)


def golden_type_totals(window: int) -> np.ndarray:
    """Per-type totals of window 0 (year 1), 1 (previous 12) or 2 (last 12)."""
    if window == 0:
        return np.array([TYPE_YEAR1[t] for t in CRIME_TYPES], dtype=np.int64)
    return TYPE_PREVIOUS.copy() if window == 1 else TYPE_LAST.copy()


def _check_themes() -> None:
    """Fail at import if a hand-designed theme row disagrees with the golden total."""
    for theme in THEMES:
        index = CRIME_TYPES.index(theme)
        for window, golden in ((1, TYPE_PREVIOUS), (2, TYPE_LAST)):
            total = int(theme_row(theme, window).sum())
            if total != golden[index]:
                raise AssertionError(f"{theme} window {window}: NPT rows sum to {total}, not {golden[index]}")
    if int(NPT_LAST.sum()) != int(TYPE_LAST.sum()) or int(NPT_PREVIOUS.sum()) != int(TYPE_PREVIOUS.sum()):
        raise AssertionError("NPT and crime type golden totals disagree")


_check_themes()
