"""The one resource every asset uses: where the lake is and which configuration applies."""

from __future__ import annotations

import os

import dagster as dg

from dataforge.lib.config import DataforgeConfig, load_config
from dataforge.lib.lake import Lake, open_lake

LLM_KEY_VARIABLE = "DATAFORGE_LLM_API_KEY"


class DataforgeResource(dg.ConfigurableResource):
    """Lake URI and config file; empty values fall back to DATAFORGE_LAKE / DATAFORGE_CONFIG.

    Reading the environment at run time (not at import) keeps the embedded default and the
    production deployment on the same code: only the environment differs.
    """

    lake_uri: str = ""
    config_path: str = ""
    llm_api_key: str = ""  # bound to dg.EnvVar("DATAFORGE_LLM_API_KEY") below: never stored or shown

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """Hand the LLM key to the client the way it reads it (the variable named in config)."""
        if self.llm_api_key:
            os.environ.setdefault(self.config().generate.llm.api_key_env, self.llm_api_key)

    def lake(self) -> Lake:
        return open_lake(self.lake_uri or None)

    def config(self) -> DataforgeConfig:
        return load_config(self.config_path or None)


@dg.definitions
def resources() -> dg.Definitions:
    # Steps of a run share one process: the spaCy and embedding models load once per run,
    # not once per step (a multiprocess executor reloads them for every asset).
    key = dg.EnvVar(LLM_KEY_VARIABLE) if os.environ.get(LLM_KEY_VARIABLE) else ""
    return dg.Definitions(resources={"dataforge": DataforgeResource(llm_api_key=key)}, executor=dg.in_process_executor)
