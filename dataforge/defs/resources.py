"""The one resource every asset uses: where the lake is and which configuration applies."""

from __future__ import annotations

import dagster as dg

from dataforge.lib.config import DataforgeConfig, load_config
from dataforge.lib.lake import Lake, open_lake


class DataforgeResource(dg.ConfigurableResource):
    """Lake URI and config file; empty values fall back to DATAFORGE_LAKE / DATAFORGE_CONFIG.

    Reading the environment at run time (not at import) keeps the embedded default and the
    production deployment on the same code: only the environment differs.
    """

    lake_uri: str = ""
    config_path: str = ""

    def lake(self) -> Lake:
        return open_lake(self.lake_uri or None)

    def config(self) -> DataforgeConfig:
        return load_config(self.config_path or None)


@dg.definitions
def resources() -> dg.Definitions:
    # Steps of a run share one process: the spaCy and embedding models load once per run,
    # not once per step (a multiprocess executor reloads them for every asset).
    return dg.Definitions(resources={"dataforge": DataforgeResource()}, executor=dg.in_process_executor)
