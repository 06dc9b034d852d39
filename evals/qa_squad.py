"""Generated extractive QA on SQuAD 2.0 contexts: answer recall, well-formedness, diversity.

Each paragraph is one document and goes through the pipeline's own steps: chunking,
spaCy NER (dataforge.lib.nlp), relations (dataforge.lib.relations), then
``generate_document_examples``. Human questions are never shown to the generator.

- answer recall: share of answerable human questions for which one of our answers (for the
  same paragraph) equals one of the human answers, exactly or after SQuAD normalisation
  (lower case, punctuation, articles and extra spaces removed).
- well formed: see ``well_formed_question`` (rules listed there and in the bench section).
- distinct-n: distinct n-grams / all n-grams over our questions (lower-cased words).
- duplicate rate: share of QA examples whose (normalised question, normalised answer) was
  already produced for the same paragraph, and whose question alone was.

Settings: ``default`` (the shipped configuration), ``all_candidates`` (no per-chunk cap: the
generator's ceiling) and ``templates_only_no_parses`` (default cap, string templates and
relations only, without the dependency-based questions).

Run: ``.venv/bin/python -m evals.qa_squad`` (writes bench/results/qa_squad_v2.json).
"""

from __future__ import annotations

import json
import re
import string
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

DATA = (
    Path(__file__).resolve().parents[2] / "shared" / "eval" / "qa_squad_v2_subset" / "squad_v2_dev_first5articles.json"
)
OUT = Path(__file__).resolve().parents[1] / "bench" / "results" / "qa_squad_v2.json"
INTERROGATIVES = frozenset(
    "what which who whom whose when where why how is are was were did does do has have had can could will would "
    "should may might".split()
)
PREPOSITIONS = frozenset(
    """in on at by for with from to into of since until during under over about after before beyond across as
    against among between through toward towards within without upon via like unlike behind below above along
    around near throughout despite inside outside""".split()
)
BAD_ENDINGS = frozenset("the a an and or but , ; :".split())


def normalize(text: str) -> str:
    """SQuAD's answer normalisation."""
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def well_formed_question(question: str, answer: str, nlp: Any) -> bool:
    """A question a reader would accept as written (all rules must hold):

    1. ends with one '?' and has 3 to 40 words; 2. opens with an interrogative (wh-word, how,
    an auxiliary) or a preposition followed by one ("By how much", "With whom"); 3. contains a
    verb or auxiliary (spaCy POS); 4. does not end on an article, a conjunction or a comma
    before the '?'; 5. brackets and quotes are balanced; 6. no word is doubled ("the
    the"); 7. the answer does not appear in the question.
    """
    words = question.split()
    if not question.endswith("?") or question.endswith("??") or not 3 <= len(words) <= 40:
        return False
    first = [w.lower().strip(",") for w in words[:2]]
    if first[0] not in INTERROGATIVES and not (first[0] in PREPOSITIONS and first[1] in INTERROGATIVES):
        return False
    if words[-1].rstrip("?").lower() in BAD_ENDINGS or re.search(r"[,;:]\s*\?$", question):
        return False
    if question.count("(") != question.count(")") or question.count('"') % 2:
        return False
    lowered = [w.lower() for w in words]
    if any(a == b for a, b in zip(lowered, lowered[1:], strict=False)):
        return False
    if answer and normalize(answer) and normalize(answer) in normalize(question):
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in nlp(question))


def distinct_n(texts: list[str], n: int) -> float:
    grams = [tuple(ws[i : i + n]) for t in texts for ws in [t.lower().split()] for i in range(len(ws) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def paragraphs() -> list[dict[str, Any]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))["data"]
    out = []
    for a, article in enumerate(data):
        for p, para in enumerate(article["paragraphs"]):
            golds = [
                [x["text"] for x in qa["answers"]]
                for qa in para["qas"]
                if not qa.get("is_impossible") and qa["answers"]
            ]
            out.append({"doc_id": f"squad-{a}-{p}", "text": para["context"], "golds": golds, "title": article["title"]})
    return out


def prepare(paras: list[dict[str, Any]], config: Any) -> list[tuple]:
    """Chunks, mentions and typed relations of every paragraph, as the pipeline makes them."""
    from dataforge.lib.chunk import chunk_document
    from dataforge.lib.nlp import mentions_from_parses, parse_documents
    from dataforge.lib.relations import extract_relations

    chunks = {p["doc_id"]: chunk_document(p["doc_id"], p["text"], config.chunk) for p in paras}
    parsed = dict(parse_documents(((p["doc_id"], p["text"], chunks[p["doc_id"]]) for p in paras), config.nlp))
    out = []
    for p in paras:
        mentions = mentions_from_parses(p["doc_id"], parsed[p["doc_id"]], chunks[p["doc_id"]])
        relations = [r for r in extract_relations(p["doc_id"], parsed[p["doc_id"]], mentions) if r["kind"] == "typed"]
        document = {"doc_id": p["doc_id"], "text": p["text"], "title": "", "language": "en", "date": None}
        out.append((p, document, chunks[p["doc_id"]], mentions, relations, parsed[p["doc_id"]]))
    return out


def evaluate(prepared: list[tuple], config: Any, nlp: Any, use_parses: bool = True) -> dict[str, Any]:
    from dataforge.lib.generate import generate_document_examples

    questions, answers_total, recalled_exact, recalled_norm, gold_total = [], 0, 0, 0, 0
    formed, qa_count, dup_pairs, dup_questions, spans_ok, spans_total = 0, 0, 0, 0, 0, 0
    kinds: Counter[str] = Counter()
    qtypes: Counter[str] = Counter()
    for p, document, chunks, mentions, relations, parses in prepared:
        examples = generate_document_examples(
            document, chunks, mentions, relations, config, parses=parses if use_parses else None
        )
        kinds.update(ex["kind"] for ex in examples)
        qa = [ex for ex in examples if ex["kind"] == "qa" and ex["answer"]]
        for ex in examples:
            for s in ex["source_spans"]:
                spans_total += 1
                spans_ok += 0 <= s["start"] < s["end"] <= len(p["text"])
        seen_pairs, seen_q = set(), set()
        for ex in qa:
            spans_total += 1
            spans_ok += ex["context"][ex["answer_start"] : ex["answer_end"]] == ex["answer"]
            qa_count += 1
            questions.append(ex["question"])
            qtypes[ex["metadata"]["question_type"]] += 1
            formed += well_formed_question(ex["question"], ex["answer"], nlp)
            pair = (normalize(ex["question"]), normalize(ex["answer"]))
            dup_pairs += pair in seen_pairs
            dup_questions += pair[0] in seen_q
            seen_pairs.add(pair)
            seen_q.add(pair[0])
        ours_exact = {ex["answer"].strip() for ex in qa}
        ours_norm = {normalize(a) for a in ours_exact}
        answers_total += len(ours_exact)
        for golds in p["golds"]:
            gold_total += 1
            recalled_exact += any(g.strip() in ours_exact for g in golds)
            recalled_norm += any(normalize(g) in ours_norm for g in golds)
    return {
        "paragraphs": len(prepared),
        "human_answerable_questions": gold_total,
        "qa_examples": qa_count,
        "distinct_answers": answers_total,
        "answer_recall_exact": round(recalled_exact / max(gold_total, 1), 4),
        "answer_recall_normalized": round(recalled_norm / max(gold_total, 1), 4),
        "well_formed": round(formed / max(qa_count, 1), 4),
        "distinct_1": round(distinct_n(questions, 1), 4),
        "distinct_2": round(distinct_n(questions, 2), 4),
        "distinct_3": round(distinct_n(questions, 3), 4),
        "duplicate_rate_question_answer": round(dup_pairs / max(qa_count, 1), 4),
        "duplicate_rate_question": round(dup_questions / max(qa_count, 1), 4),
        "exact_spans": round(spans_ok / max(spans_total, 1), 4),
        "question_types": dict(sorted(qtypes.items())),
        "examples_by_kind": dict(sorted(kinds.items())),
    }


def main() -> int:
    if not DATA.is_file():
        print(f"skipped: {DATA} is missing (the shared evaluation data is not on this machine)")
        return 0
    from dataforge.lib.config import DataforgeConfig
    from dataforge.lib.nlp import pipeline_for

    config = DataforgeConfig()
    nlp = pipeline_for(config.nlp)
    started = time.perf_counter()
    prepared = prepare(paragraphs(), config)
    parse_s = time.perf_counter() - started
    results: dict[str, Any] = {"parse_seconds": round(parse_s, 2)}
    settings = {
        "default": config,
        "all_candidates": replace(config, generate=replace(config.generate, max_qa_per_chunk=1000)),
    }
    for name, cfg in [*settings.items(), ("templates_only_no_parses", config)]:
        started = time.perf_counter()
        results[name] = evaluate(prepared, cfg, nlp, use_parses=name != "templates_only_no_parses")
        results[name]["generate_seconds"] = round(time.perf_counter() - started, 2)
    results["date"] = time.strftime("%Y-%m-%d")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
