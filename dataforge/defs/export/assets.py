"""Every export format, the dataset card and the manifest of a release."""

from dataforge.defs.factory import release_asset
from dataforge.defs.release_metadata import export_metadata
from dataforge.lib import release
from dataforge.lib.checks import EXPORT_CHECKS, export_checks

dataset_exports = release_asset(
    "dataset_exports",
    release.build_exports,
    deps=["training_dataset"],
    group="export",
    kinds={"json", "parquet", "huggingface"},
    description="OpenAI chat, Alpaca, ShareGPT and Hugging Face exports, the dataset card "
    "(README.md) and manifest.json, written last so its presence marks a complete release.",
    extra_metadata=export_metadata,
    checks=export_checks,
    check_descriptions=EXPORT_CHECKS,
)
