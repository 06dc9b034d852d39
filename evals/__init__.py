"""Evaluation scripts: each runs as ``python -m evals.<name>`` from the repository root."""
