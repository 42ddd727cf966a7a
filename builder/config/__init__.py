"""Pack configuration: the pydantic schema and a loader that knows line numbers."""

from builder.config.load import LoadedConfig, load_config
from builder.config.schema import PackConfig, Theme

__all__ = ["LoadedConfig", "PackConfig", "Theme", "load_config"]
