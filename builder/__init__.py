"""perfpack: builds a Public Performance Meeting pack from record-level crime data."""

__version__ = "0.1.0"
