"""Benchmark corpora: generated documents of chosen sizes, plus real files when available.

Generated text is made of sentences from our own samples, shuffled with a seeded generator,
so it has realistic entity density (people, organizations, dates, money) at any size.
"""

from __future__ import annotations

import random
import shutil
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
REAL_DOCS = ROOT.parent / "shared" / "eval" / "real_docs"


@lru_cache(maxsize=1)
def _sentences() -> tuple[str, ...]:
    from dataforge.lib.chunk import split_sentences
    from dataforge.lib.extract import extract_file

    sentences: list[str] = []
    for path in sorted(SAMPLES.iterdir()):
        text = extract_file(path).text
        sentences += [
            text[s:e] for s, e in split_sentences(text) if len(text[s:e]) > 40 and not text[s].startswith(("#", "|"))
        ]
    return tuple(sentences)


def generated_text(size_bytes: int, seed: int) -> str:
    """Paragraphs of 3-6 shuffled sample sentences until ``size_bytes`` is reached."""
    rng = random.Random(seed)
    pool = _sentences()
    parts: list[str] = [f"# Generated report {seed}\n"]
    size = len(parts[0])
    while size < size_bytes:
        paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(3, 6)))
        parts.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(parts)


QUICK_SIZES = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000]
FULL_SIZES = [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000, 10_000_000]
# Scaling: 1x is QUICK_SIZES copied SCALING_COPIES times (30 documents, more than one run's batch
# of 25, so that streaming shows), 2x and 4x twice and four times that, in both modes: 1x + 2x +
# 4x of the full corpus would take hours.
SCALING_COPIES = 5
# Documents of ../shared/eval/real_docs that the pipeline reads (LICENSE files and the like are left out).
REAL_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".txt", ".md"})


def build_corpus(
    folder: Path, sizes: list[int], copies: int, include_real: bool, include_samples: bool = True
) -> list[Path]:
    """Write the corpus; ``copies`` repeats every size with different seeds (for scaling)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for copy in range(copies):
        for index, size in enumerate(sizes):
            seed = copy * 1000 + index
            path = folder / f"generated-{size}-{seed}.txt"
            path.write_text(generated_text(size, seed), encoding="utf-8")
            paths.append(path)
        for sample in sorted(SAMPLES.iterdir()) if include_samples else []:
            target = folder / f"c{copy}-{sample.name}"
            if copy == 0:
                shutil.copy(sample, target)
            else:  # a different copy must be different bytes, or it is deduplicated on ingest
                data = sample.read_bytes()
                if sample.suffix in (".txt", ".md"):
                    data += f"\n\nCopy {copy}.\n".encode()
                    target.write_bytes(data)
                else:
                    continue
            paths.append(target)
    if include_real and REAL_DOCS.is_dir():
        for real in sorted(REAL_DOCS.rglob("*")):
            if real.is_file() and real.suffix.lower() in REAL_SUFFIXES:
                target = folder / ("real-" + "-".join(real.relative_to(REAL_DOCS).parts))
                shutil.copy(real, target)
                paths.append(target)
    return paths
