"""Write config/lookups/policeuk-districts.csv from the two ONS lookups in ../shared/data/lookups.

police.uk names each LSOA after its 2011 district ("Shepway 001A"), but districts have
merged and been renamed since; this table takes a district as police.uk spells it to
the 2019 district and its Police Force Area, so a pack from police.uk files can group
crimes by current district and tell the force's own districts from its neighbours'.
Both sources are ONS Open Geography lookups (Open Government Licence v3.0).

Usage: python scripts/make_district_lookup.py [SHARED_LOOKUPS_DIR]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "lookups"
TARGET = ROOT / "config" / "lookups" / "policeuk-districts.csv"


def read(path: Path) -> list[dict[str, str]]:
    """Rows of an ONS CSV, by header name."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def build(source: Path) -> list[tuple[str, str, str]]:
    """(district as in LSOA names, 2019 district, police force area), one row per spelling."""
    force_of = {r["LAD19NM"]: r["PFA19NM"] for r in read(source / "lad19_to_csp19_pfa19_dec2019.csv")}
    current = {name: name for name in force_of}
    for row in read(source / "lsoa11_to_lad19_england_apr2019.csv"):
        current.setdefault(row["LSOA11NM"].rsplit(" ", 1)[0], row["LAD19NM"])
    return sorted((old, new, force_of[new]) for old, new in current.items() if new in force_of)


def main() -> None:
    """Write the table and say how many rows it has."""
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    rows = build(source)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with TARGET.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["LSOA district", "District", "Police force area"])
        writer.writerows(rows)
    print(f"{TARGET}: {len(rows)} rows")


if __name__ == "__main__":
    main()
