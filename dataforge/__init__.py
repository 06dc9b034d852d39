"""dataforge: documents in, LLM training datasets out."""

__version__ = "0.1.0"
