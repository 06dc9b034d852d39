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

- ``web``: English pages of the trafilatura evaluation set (gold "with" snippets at least a fifth
  English stop words), ``random.seed(131)`` sample of 10, copied as HTML.

``--seed`` and ``--count`` draw another sample; ``--skip SEED:COUNT,...`` first removes the samples
drawn earlier with those seeds (in that order), so a new corpus is disjoint from the ones audited
before. The eleventh session's corpora: ``--only aida --seed 97 --count 20 --skip 13:30`` (aidaw),
``--only aida --seed 211 --count 20 --skip 13:30,97:20`` (aidav), ``--only ecb --seed 23 --count 30
--skip 11:40`` (ecbv), ``--only ecb --seed 59 --count 30 --skip 11:40,23:30`` (ecbu), ``--only ecb
--seed 71 --count 30 --skip 11:40,23:30,59:30`` (ecbt), ``--only cnndm --first 63`` (cnnz: articles 63
on), ``--only web`` (webz).

Run: ``python -m evals.heldout_corpora --out /tmp/corpora`` (aida, ecb, cnndm; ``--only web`` etc.).
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
WEB = EVAL / "html_trafilatura" / "trafilatura_eval_subset400.tar.xz"
_WORD_END, _WORD_START = re.compile(r"[a-z0-9]$"), re.compile(r"[a-z0-9]")


def detokenize(tokens: list[str], decimals: bool = False) -> str:
    """Readable text from a token list: quotes paired, hyphenated words joined, no space
    before punctuation or inside brackets; ``decimals``: a "." between digits (ECB+ splits
    "0.07" into "0", ".", "07" within one sentence) is a decimal point, not a stop."""
    from nltk.tokenize.treebank import TreebankWordDetokenizer

    tokens, quotes, joined = list(tokens), 0, []
    for i, tok in enumerate(tokens):
        if tok == '"':
            tokens[i], quotes = ("``" if quotes % 2 == 0 else "''"), quotes + 1
    for i, tok in enumerate(tokens):  # "anti - piracy" -> "anti-piracy"; "HOUSTON - Five" stays
        if decimals and tok == "." and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            if joined and joined[-1].isdigit():  # "0 . 07" -> "0.07"
                joined[-1] += "." + tokens[i + 1]
            else:  # "( . 535 )" -> "(.535)"
                joined.append("." + tokens[i + 1])
            tokens[i + 1] = ""
            continue
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


def _sample(items: list, count: int, seed: int, skip: list[tuple[int, int]]) -> list:
    """``random.seed(seed)`` sample of ``count`` items, after removing the samples that each earlier
    (seed, count) of ``skip`` drew from what was left before it."""
    pool = list(items)
    for old_seed, old_count in skip:
        random.seed(old_seed)
        taken = {id(x) for x in random.sample(pool, min(old_count, len(pool)))}
        pool = [x for x in pool if id(x) not in taken]
    random.seed(seed)
    return random.sample(pool, min(count, len(pool)))


def aida(out: Path, count: int = 30, seed: int = 13, skip: list[tuple[int, int]] | None = None) -> int:
    rows = [json.loads(line) for line in gzip.open(AIDA, "rt", encoding="utf-8")]
    picked = _sample(rows, count, seed, skip or [])
    for row in picked:
        head, _, body = row["text"].partition(" . ")
        _write(out, f"aida-{row['id']}.txt", detokenize(head.split()) + "\n\n" + detokenize(body.split()))
    return len(picked)


def ecb(out: Path, count: int = 40, seed: int = 11, skip: list[tuple[int, int]] | None = None) -> int:
    docs: dict[str, dict[int, list[str]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for line in gzip.open(ECB, "rt", encoding="utf-8"):
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 4:
            docs[cols[0]][int(cols[1])].append(cols[3])
    picked = _sample(sorted(docs), count, seed, skip or [])
    for name in picked:
        sentences = [detokenize(docs[name][k], decimals=True) for k in sorted(docs[name])]
        sentences = [s for s in sentences if not s.startswith("http")]
        _write(out, name.replace(".xml", ".txt"), sentences[0] + "\n\n" + " ".join(sentences[1:]))
    return len(picked)


def cnndm(out: Path, last: int = 0, first: int = 0) -> int:
    rows = [json.loads(line) for line in CNNDM.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[-last:] if last else rows[first:]
    for row in rows:
        _write(out, f"{row['id'][:16]}.txt", row["article"])
    return len(rows)


_STOP = frozenset("the of and to in is that for it with as was on are be by this from at or an have not".split())


def web(out: Path, count: int = 10, seed: int = 131, skip: list[tuple[int, int]] | None = None) -> int:
    """English pages of the trafilatura set, copied as they are (the pipeline extracts them)."""
    import tarfile

    with tarfile.open(WEB) as tar:
        meta = json.load(tar.extractfile(next(m for m in tar.getmembers() if m.name.endswith("subset400.json"))))
        english = []
        for _, m in sorted(meta.items()):
            snippets = m["with"] if isinstance(m["with"], list) else [m["with"]]
            words = re.findall(r"[a-z]+", " ".join(map(str, snippets)).lower())
            if len(words) > 20 and sum(w in _STOP for w in words) / len(words) > 0.2:
                english.append(m["file"])
        picked = _sample(english, count, seed, skip or [])
        members = {Path(m.name).name: m for m in tar.getmembers() if m.name.endswith(".html")}
        out.mkdir(parents=True, exist_ok=True)
        for name in picked:
            (out / name).write_bytes(tar.extractfile(members[name]).read())
    return len(picked)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the corpora under")
    parser.add_argument("--only", choices=("aida", "ecb", "cnndm", "web"), action="append")
    parser.add_argument("--last", type=int, default=0, help="cnndm: only the last N articles")
    parser.add_argument("--first", type=int, default=0, help="cnndm: the articles from this index on")
    parser.add_argument("--seed", type=int, default=None, help="aida/ecb/web: sample seed (default 13/11/131)")
    parser.add_argument("--count", type=int, default=None, help="aida/ecb/web: sample size (default 30/40/10)")
    parser.add_argument("--skip", default="", help="SEED:COUNT,... samples drawn before, left out first")
    args = parser.parse_args()
    skip = [(int(a), int(b)) for a, b in (x.split(":") for x in args.skip.split(",") if x)]
    tail = f"_s{args.seed}" if args.seed is not None else ""

    def sampled(fn, default_seed: int, default_count: int, folder: str):  # noqa: ANN001, ANN202
        seed = default_seed if args.seed is None else args.seed
        return lambda: fn(args.out / (folder + tail), args.count or default_count, seed, skip)

    makers = {"aida": sampled(aida, 13, 30, "aida_heldout"), "ecb": sampled(ecb, 11, 40, "ecb_heldout")}
    makers["web"] = sampled(web, 131, 10, "web_heldout")
    cnn_folder = "cnndm_audit" if args.last or args.first else "cnndm"
    makers["cnndm"] = lambda: cnndm(args.out / cnn_folder, args.last, args.first)
    for name in args.only or ["aida", "ecb", "cnndm"]:
        source = {"aida": AIDA, "ecb": ECB, "cnndm": CNNDM, "web": WEB}[name]
        if not source.is_file():
            print(f"{name}: skipped, {source} is missing (the shared evaluation data is not on this machine)")
            continue
        print(f"{name}: {makers[name]()} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
