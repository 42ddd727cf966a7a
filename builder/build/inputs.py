"""What a build reads: the config, where the data are and which files they are, and the template.

Every command that reads a pack's data (``build``, ``check``, ``figures``, ``watch``)
starts here, so they all read the same files the same way. The data modules import
pandas, so they are imported inside the functions: a cached rebuild never needs them.
"""

from __future__ import annotations

import difflib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.config.load import LoadedConfig, load_config
from builder.config.schema import PackConfig
from builder.errors import ConfigError

if TYPE_CHECKING:
    from builder.data.canonical import Dataset

BUNDLED_TEMPLATE = Path(__file__).resolve().parent.parent / "defaults" / "pack.docx"
BUNDLED_HTML_TEMPLATE = BUNDLED_TEMPLATE.with_name("pack.html.j2")


@dataclass(frozen=True)
class Inputs:
    """A validated config, the data it is built from and every file that goes into the figures."""

    loaded: LoadedConfig
    source: Path
    """The data folder or file: the one the user named, the config names, or the bundled sample."""
    files: tuple[Path, ...]
    """Every input file (data, peers, lookups), found without reading them, for the cache and manifest."""

    @property
    def config(self) -> PackConfig:
        """The validated config."""
        return self.loaded.config


def read_inputs(config: Path | LoadedConfig, data: Path | None = None) -> Inputs:
    """Load and validate the config and find the files of its data; ConfigError or DataError on a problem."""
    from builder.data.files import input_files, peer_source_paths

    loaded = config if isinstance(config, LoadedConfig) else load_config(config)
    source = data_path(loaded, data)
    peer_files = peer_source_paths(loaded.config.peers, loaded.folder)
    return Inputs(loaded, source, (*input_files(source, **load_options(loaded)), *peer_files))


def load_data(inputs: Inputs, by: str | None = None) -> Dataset:
    """Read and validate the data into the canonical table, then check the themes' crime types against it.

    Data of several forces keep only the config's force, unless ``by`` is 'force' (one pack each).
    """
    from builder.data.forces import ForceChoice
    from builder.data.load import load_dataset

    config = inputs.config
    forces = ForceChoice(every=by == "force", named=config.data.force, cover=config.cover.force)
    dataset = load_dataset(inputs.source, **load_options(inputs.loaded), forces=forces)
    check_theme_types(inputs.loaded, dataset)
    check_theme_extras(inputs.loaded, dataset, inputs.source)
    return dataset


def check_theme_extras(loaded: LoadedConfig, data: Dataset, source: Path) -> None:
    """Stop on an extra analysis the data cannot give: drug-related ASB needs ASB data.

    Without this, the narrative quoting it would fail later with a message about a figure,
    not about the missing file.
    """
    if data.asb is not None and len(data.asb):
        return
    for i, theme in enumerate(loaded.config.themes):
        if "drug_asb" in theme.extras:
            line = loaded.line_of(("themes", i, "extras", theme.extras.index("drug_asb")))
            folder = source if source.is_dir() else source.parent
            raise ConfigError(
                f"{loaded.path}:{line}: {theme.key}.extras: drug_asb needs anti-social behaviour data, but "
                f"{folder} has no asb file (asb.csv, asb.xlsx or asb.parquet) and no ASB rows; add the file "
                "beside the crimes file, or remove drug_asb from the extras"
            )


def check_theme_types(loaded: LoadedConfig, data: Dataset) -> None:
    """Stop on a theme crime type the data cannot hold: a misspelling would otherwise count zero, silently.

    A type is known if some crime has it, or it is a police.uk category, or the config's mapping
    produces it: a small area may well have no drug offences in a window.
    """
    from builder.data.policeuk import CATEGORIES as POLICEUK_CATEGORIES

    known = {str(t) for t in data.crimes["crime_type"].cat.categories} | set(POLICEUK_CATEGORIES)
    mapping = loaded.config.data.mapping
    if mapping is not None:
        known |= set(mapping.crime_types)  # a type the mapping can produce is no typo, even if absent
    for i, theme in enumerate(loaded.config.themes):
        for j, crime_type in enumerate(theme.crime_types):
            if crime_type not in known:
                close = difflib.get_close_matches(crime_type, sorted(known), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                line = loaded.line_of(("themes", i, "crime_types", j))
                raise ConfigError(
                    f"{loaded.path}:{line}: themes[{i}].crime_types: no crime in the data has the "
                    f"type '{crime_type}'{hint}; use a crime type from the data"
                )


def data_path(loaded: LoadedConfig, data: Path | None) -> Path:
    """The data the user named, the config names, or else the bundled sample."""
    if data is not None:
        return data
    if loaded.config.data.path:
        return (loaded.folder / loaded.config.data.path).resolve()
    from builder.sample import ensure_sample

    return ensure_sample()


def load_options(loaded: LoadedConfig) -> dict[str, Any]:
    """How the config says to read the data: peers file, mapping, lookups (relative to the config)."""
    return {
        "peers_file": loaded.config.peers.file if loaded.config.peers else None,
        "data_config": loaded.config.data,
        "config_folder": loaded.folder,
    }


def template_path(loaded: LoadedConfig) -> Path:
    """The config's template, or the project's, or the bundled one; a config's that is not a Word file is refused."""
    if loaded.config.template:
        path = (loaded.folder / loaded.config.template).resolve()
        line = loaded.line_of(("template",))
        if not path.is_file():
            raise ConfigError(f"{loaded.path}:{line}: template: {path} does not exist; fix the path or remove the key")
        if not zipfile.is_zipfile(path):
            raise ConfigError(
                f"{loaded.path}:{line}: template: {path} is not a Word document (.docx); "
                "save it from Word as a .docx, or remove the key to use the bundled template"
            )
        return path
    beside = loaded.folder.parent / "templates" / "pack.docx"
    return beside if beside.exists() else BUNDLED_TEMPLATE


def html_template_path(loaded: LoadedConfig) -> Path:
    """The config's HTML template, or the project's ``templates/pack.html.j2``, or the bundled one."""
    if loaded.config.html_template:
        path = (loaded.folder / loaded.config.html_template).resolve()
        if not path.is_file():
            line = loaded.line_of(("html_template",))
            raise ConfigError(
                f"{loaded.path}:{line}: html_template: {path} does not exist; fix the path or remove the key"
            )
        return path
    beside = loaded.folder.parent / "templates" / "pack.html.j2"
    return beside if beside.exists() else BUNDLED_HTML_TEMPLATE
