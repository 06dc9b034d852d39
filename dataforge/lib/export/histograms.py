"""Token-length histograms as PNG pictures for the dataset card (matplotlib, Agg backend).

Drawn from ``quality_report.json``'s ``tokens`` section, so the picture and the numbers in
the card always agree. PNG metadata carries no date, so the same report gives the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

IMAGE_PATH = "images/token_lengths.png"


def histogram_png(token_stats: dict[str, dict[str, Any]], tokenizer: str = "cl100k_base") -> bytes | None:
    """One bar chart per non-empty kind, in a grid; None when there is nothing to draw."""
    kinds = [k for k, s in token_stats.items() if s.get("examples")]
    if not kinds:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = min(3, len(kinds))
    rows = (len(kinds) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.8 * rows), squeeze=False)
    for ax, kind in zip(axes.flat, kinds, strict=False):
        bins = token_stats[kind]["histogram"]
        labels = [f"<{b['to']}" for b in bins]
        ax.bar(range(len(bins)), [b["examples"] for b in bins], color="#4c72b0")
        ax.set_xticks(range(len(bins)), labels, rotation=45, fontsize=7)
        s = token_stats[kind]
        ax.set_title(f"{kind}: n={s['examples']}, median {s['p50']}, p95 {s['p95']}", fontsize=9)
        ax.set_xlabel(f"tokens ({tokenizer})", fontsize=8)
        ax.set_ylabel("examples", fontsize=8)
    for ax in list(axes.flat)[len(kinds) :]:
        ax.axis("off")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()
