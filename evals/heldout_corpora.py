"""Plain-text folders for ``dataforge run`` from the shared evaluation sets, for strict audits.

The audits in bench/sections/audit.md run the whole pipeline on real corpora as a user would:
a folder of documents. The shared sets are token lists (AIDA-CoNLL, ECB+) or JSONL (CNN/DM),
so this writes them out as readable text, outside the repository (the data is other people's):

- ``aida``: AIDA-CoNLL dev Reuters articles, ``random.seed(13)`` sample; the headline (text
  before the first " . ") becomes its own paragraph, tokens are detokenized (NLTK's Treebank
  detokenizer, straight quotes alternated into opening and closing ones first).
- ``ecb``: ECB+ dev documents, ``random.seed(11)`` sample; the first sentence (the headline)
  its own paragraph, the crawl's URL line dropped, "anti - piracy" joined back.
- ``cnndm``: CNN/DailyMail dev articles as they are; ``--last N`` takes the last N (the half
  the summary selector was not tuned on).

Run: ``python -m evals.heldout_corpora --out /tmp/corpora`` (all three; ``--only aida`` etc.).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import re
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
AIDA = EVAL / "entity_linking_aida_dev" / "aida-conll-dev.jsonl.gz"
ECB = EVAL / "cdcr_ecbplus_dev" / "dev_text.txt.gz"
CNNDM = EVAL / "summarization_cnndm_dev" / "cnndm_dev125.jsonl"
_WORD_END, _WORD_START = re.compile(r"[a-z0-9]$"), re.compile(r"[a-z0-9]")


def detokenize(tokens: list[str]) -> str:
    """Readable text from a token list: quotes paired, hyphenated words joined, no space
    before punctuation or inside brackets."""
    from nltk.tokenize.treebank import TreebankWordDetokenizer

    tokens, quotes, joined = list(tokens), 0, []
    for i, tok in enumerate(tokens):
        if tok == '"':
            tokens[i], quotes = ("``" if quotes % 2 == 0 else "''"), quotes + 1
    for i, tok in enumerate(tokens):  # "anti - piracy" -> "anti-piracy"; "HOUSTON - Five" stays
        if tok == "-" and joined and i + 1 < len(tokens) and _WORD_START.match(tokens[i + 1]):
            if _WORD_END.search(joined[-1]):
                joined[-1] += "-" + tokens[i + 1]
                tokens[i + 1] = ""
                continue
        if tok:
            joined.append(tok)
    text = TreebankWordDetokenizer().detokenize(joined)
    text = re.sub(r"\s*’\s*(s|t|re|ve|ll|d|m)\b", r"’\1", text)
    text = re.sub(r"“\s+", "“", text)
    text = re.sub(r"\s+”", "”", text)
    text = re.sub(r"(\d): (\d)", r"\1:\2", text)
    text = re.sub(r" ([.,;:!?%)\]'])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return text.replace(" 's", "'s").replace(" n't", "n't")


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text.strip() + "\n", encoding="utf-8")


def aida(out: Path, count: int = 30, seed: int = 13) -> int:
    rows = [json.loads(line) for line in gzip.open(AIDA, "rt", encoding="utf-8")]
    random.seed(seed)
    picked = random.sample(rows, min(count, len(rows)))
    for row in picked:
        head, _, body = row["text"].partition(" . ")
        _write(out, f"aida-{row['id']}.txt", detokenize(head.split()) + "\n\n" + detokenize(body.split()))
    return len(picked)


def ecb(out: Path, count: int = 40, seed: int = 11) -> int:
    docs: dict[str, dict[int, list[str]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for line in gzip.open(ECB, "rt", encoding="utf-8"):
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 4:
            docs[cols[0]][int(cols[1])].append(cols[3])
    random.seed(seed)
    picked = random.sample(sorted(docs), min(count, len(docs)))
    for name in picked:
        sentences = [detokenize(docs[name][k]) for k in sorted(docs[name])]
        sentences = [s for s in sentences if not s.startswith("http")]
        _write(out, name.replace(".xml", ".txt"), sentences[0] + "\n\n" + " ".join(sentences[1:]))
    return len(picked)


def cnndm(out: Path, last: int = 0) -> int:
    rows = [json.loads(line) for line in CNNDM.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[-last:] if last else rows
    for row in rows:
        _write(out, f"{row['id'][:16]}.txt", row["article"])
    return len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the corpora under")
    parser.add_argument("--only", choices=("aida", "ecb", "cnndm"), action="append")
    parser.add_argument("--last", type=int, default=0, help="cnndm: only the last N articles")
    args = parser.parse_args()
    makers = {"aida": lambda: aida(args.out / "aida_heldout"), "ecb": lambda: ecb(args.out / "ecb_heldout")}
    makers["cnndm"] = lambda: cnndm(args.out / ("cnndm_audit" if args.last else "cnndm"), args.last)
    for name in args.only or list(makers):
        source = {"aida": AIDA, "ecb": ECB, "cnndm": CNNDM}[name]
        if not source.is_file():
            print(f"{name}: skipped, {source} is missing (the shared evaluation data is not on this machine)")
            continue
        print(f"{name}: {makers[name]()} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
