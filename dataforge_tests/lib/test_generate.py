"""Example generators: span exactness, provenance, schemas, determinism, corpus tasks."""

from __future__ import annotations

import functools
import json
import re

import numpy as np
import pytest

from dataforge.lib.config import ConfigError, DataforgeConfig, GenerateConfig
from dataforge.lib.embed import embed_texts
from dataforge.lib.generate import generate_corpus_examples, generate_document_examples, summary
from dataforge.lib.generate.instruction import PHRASINGS
from dataforge.lib.relation_schema import RELATIONS as SCHEMA_RELATIONS
from dataforge.lib.relation_schema import map_predicate

DOC_A = (
    "Northwind Robotics was founded in 2009 by Maria Alvarez in Boston. The company builds "
    "warehouse robots for retailers. Maria Alvarez is the chief executive of Northwind Robotics."
    "\n\n"
    "In March 2015, Northwind Robotics acquired Helix Sensors for $40 million. Helix Sensors "
    "makes lidar units for mobile machines. The deal doubled the size of the engineering team."
    "\n\n"
    "Northwind Robotics employs 850 people in Boston and Denver. In 2021, the company opened a "
    "research lab in Denver. Maria Alvarez said the lab would focus on warehouse safety."
)
DOC_B = (
    "Helix Sensors was founded in 2011 by Tom Becker in Austin. Tom Becker is the chief "
    "technology officer of Helix Sensors. After the acquisition, Helix Sensors moved its lidar "
    "production to Denver."
)
DOC_C = (
    "Lena Park opened Blue Fern Bistro in Portland in 2018. The bistro serves seasonal soups, "
    "fresh bread and slow roasted vegetables. Lena Park bakes the bread every morning."
)
HEADINGS = {"doc-a": ["History", "History", "Operations"], "doc-b": ["Profile"], "doc-c": [""]}
# every occurrence of these surfaces is a mention: surface -> (label, cluster)
ENTITIES = {
    "Northwind Robotics": ("ORG", "c-northwind"), "Helix Sensors": ("ORG", "c-helix"),
    "Blue Fern Bistro": ("ORG", "c-fern"), "Maria Alvarez": ("PERSON", "c-maria"), "Tom Becker": ("PERSON", "c-tom"),
    "Lena Park": ("PERSON", "c-lena"), "Boston": ("GPE", "c-boston"), "Denver": ("GPE", "c-denver"),
    "Austin": ("GPE", "c-austin"), "Portland": ("GPE", "c-portland"), "2009": ("DATE", None), "2011": ("DATE", None),
    "March 2015": ("DATE", None), "2018": ("DATE", None), "2021": ("DATE", None), "$40 million": ("MONEY", None),
    "850": ("CARDINAL", None),
}  # fmt: skip
# (doc, head surface, occurrence, relation, tail surface, occurrence)
RELATIONS = [
    ("doc-a", "Maria Alvarez", 0, "found", "Northwind Robotics", 0),
    ("doc-a", "Maria Alvarez", 1, "chief executive of", "Northwind Robotics", 1),
    ("doc-a", "Northwind Robotics", 2, "acquire", "Helix Sensors", 0),
    ("doc-b", "Tom Becker", 0, "found", "Helix Sensors", 0),
    ("doc-b", "Tom Becker", 1, "chief technology officer of", "Helix Sensors", 1),
    ("doc-c", "Lena Park", 0, "open", "Blue Fern Bistro", 0),
]
TEXTS = {"doc-a": DOC_A, "doc-b": DOC_B, "doc-c": DOC_C}
CONFIG = DataforgeConfig()
RECORD_KEYS = {
    "instruction": {"instruction", "input", "output", "metadata"},
    "conversation": {"conversations", "metadata"},
    "qa": {"context", "question", "answer", "answer_start", "answer_end", "metadata"},
    "summary": {"document", "summary", "summary_type", "compression_ratio", "metadata"},
    "ner": {"text", "entities", "relations"},
    "relation": {"text", "entities", "relations", "relation_types", "entity_scope"},
    "classification": {"text", "label", "metadata"},
}
PROVENANCE = {"id", "kind", "generator", "source_documents", "source_spans"}


def bundle(doc_id: str) -> tuple[dict, list, list, list]:
    """Document, chunks (one per paragraph), mentions and relations with hand-checked offsets."""
    text = TEXTS[doc_id]
    sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.\s][^.]*\.", text)]
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    chunks = [
        dict(doc_id=doc_id, chunk_id=i, start=s, end=e, text=text[s:e], n_tokens=len(text[s:e].split()),
             heading=HEADINGS[doc_id][i], sentences=[{"start": a, "end": b} for a, b in sentences if s <= a < e])
        for i, (s, e) in enumerate(paragraphs)
    ]  # fmt: skip
    mentions = []
    for surface, (label, cluster) in ENTITIES.items():
        for m in re.finditer(re.escape(surface), text):
            sid = next(i for i, (a, b) in enumerate(sentences) if a <= m.start() < b)
            cid = next(i for i, (a, b) in enumerate(paragraphs) if a <= m.start() < b)
            assert text[m.start() : m.end()] == surface
            mentions.append(
                dict(doc_id=doc_id, mention_id=f"{doc_id}:{m.start()}", start=m.start(), end=m.end(), text=surface,
                     label=label, sentence_id=sid, sentence_start=sentences[sid][0], sentence_end=sentences[sid][1],
                     chunk_id=cid, cluster_id=cluster)
            )  # fmt: skip
    mentions.sort(key=lambda m: m["start"])
    relations = []
    for doc, head, hocc, rel, tail, tocc in RELATIONS:
        if doc == doc_id:
            h = [m for m in mentions if m["text"] == head][hocc]
            t = [m for m in mentions if m["text"] == tail][tocc]
            # as the relation stage writes it: the predicate, its schema name, the arguments in schema order
            pattern = "svo" if " " not in rel else "appos"
            name, swap = map_predicate(rel, pattern, h["label"], t["label"])
            if swap:
                h, t = t, h
            relations.append(
                dict(doc_id=doc_id, head_mention_id=h["mention_id"], head=h["text"], head_label=h["label"],
                     relation=name, predicate=rel, polarity="affirmative", modality="asserted", inverse=swap,
                     tail_mention_id=t["mention_id"], tail=t["text"], tail_label=t["label"], confidence=0.9,
                     evidence_start=h["sentence_start"], evidence_end=h["sentence_end"], pattern=pattern,
                     kind="typed", head_cluster=h["cluster_id"], tail_cluster=t["cluster_id"])
            )  # fmt: skip
    document = {"doc_id": doc_id, "text": text, "title": f"About {doc_id}", "language": "en", "date": None}
    return document, chunks, mentions, relations


@functools.lru_cache(maxsize=256)
def _embed(texts: tuple[str, ...]) -> np.ndarray:
    return embed_texts(list(texts))


def cached_embed(texts: list[str]) -> np.ndarray:
    """The pipeline's MiniLM embedder, memoised: the tests embed the same few sentences often."""
    return _embed(tuple(texts))


def doc_examples(doc_id: str = "doc-a", config: DataforgeConfig = CONFIG) -> list[dict]:
    return generate_document_examples(*bundle(doc_id), config, embed=cached_embed)


def corpus_inputs() -> tuple:
    """Documents, entity clusters, mentions, relations, timeline events, chunk vectors."""
    documents, mentions, relations, vectors = {}, [], [], []
    for doc_id in TEXTS:
        document, chunks, ms, rs = bundle(doc_id)
        documents[doc_id], mentions, relations = document, mentions + ms, relations + rs
        for c in chunks:  # two obvious topics: robotics business vs a bistro
            vectors.append((c, [0.1, 1.0, 0.0] if doc_id == "doc-c" else [1.0, 0.1, 0.05 * c["chunk_id"]]))
    entities = []
    for surface, (label, cluster) in ENTITIES.items():
        found = [m for m in mentions if m["cluster_id"] == cluster]
        if cluster and found:
            doc_ids = sorted({m["doc_id"] for m in found})
            entities.append(
                dict(cluster_id=cluster, label=label, canonical_name=surface, aliases=[surface],
                     mention_count=len(found), doc_count=len(doc_ids), doc_ids=doc_ids)
            )  # fmt: skip
    events = [
        dict(event_id=m["mention_id"], doc_id=m["doc_id"], date={"March 2015": "2015-03"}.get(m["text"], m["text"]),
             date_text=m["text"], sentence=TEXTS[m["doc_id"]][m["sentence_start"] : m["sentence_end"]],
             start=m["sentence_start"], end=m["sentence_end"], cluster_ids=[])
        for m in mentions if m["label"] == "DATE"
    ]  # fmt: skip
    return documents, entities, mentions, relations, events, vectors


def corpus_examples(config: DataforgeConfig = CONFIG) -> list[dict]:
    return generate_corpus_examples(*corpus_inputs(), config)


def check_provenance(ex: dict) -> None:
    assert PROVENANCE <= set(ex)
    assert re.fullmatch(r"[0-9a-f]{16}", ex["id"])
    assert re.fullmatch(r"[a-z_]+\.[a-z_]+/\d+", ex["generator"])
    assert ex["source_spans"], ex["generator"]
    assert ex["source_documents"] == sorted({s["doc_id"] for s in ex["source_spans"]})
    for s in ex["source_spans"]:
        assert 0 <= s["start"] < s["end"] <= len(TEXTS[s["doc_id"]])


def check_qa(ex: dict) -> None:
    assert ex["context"][ex["answer_start"] : ex["answer_end"]] == ex["answer"]
    assert ex["question"].endswith("?")
    assert ex["answer"] and ex["answer"].lower() not in ex["question"].lower()
    assert set(ex["metadata"]) == {"question_type", "difficulty", "answer_type"}
    assert ex["metadata"]["difficulty"] in {"easy", "medium", "hard"}


def test_every_kind_has_its_record_fields_and_provenance():
    examples = doc_examples() + corpus_examples()
    kinds = {ex["kind"] for ex in examples}
    # These texts show no document genre, so classification emits no row (unsure is no label);
    # genre rows are covered in test_generate_corpus.
    assert kinds == set(RECORD_KEYS) - {"classification"}
    for ex in examples:
        assert set(ex) == RECORD_KEYS[ex["kind"]] | PROVENANCE, ex["generator"]
        check_provenance(ex)
    json.dumps(examples)  # JSON-serialisable throughout


def test_metadata_keys_are_consistent_per_kind():
    examples = doc_examples() + doc_examples("doc-b") + corpus_examples()
    keys: dict[str, set] = {}
    for ex in examples:
        if "metadata" in ex:
            keys.setdefault(ex["kind"], set()).add(tuple(sorted(ex["metadata"])))
    assert all(len(v) == 1 for v in keys.values()), keys


def test_qa_answers_are_exact_spans_of_the_chunk():
    examples = [ex for ex in doc_examples() if ex["kind"] == "qa"]
    assert examples
    for ex in examples:
        check_qa(ex)
        (s,) = ex["source_spans"]
        assert DOC_A[s["start"] : s["end"]] == ex["context"]


def test_qa_templates_and_per_chunk_limit():
    many = DataforgeConfig(generate=GenerateConfig(max_qa_per_chunk=50))
    questions = {ex["question"]: ex for ex in doc_examples(config=many) if ex["kind"] == "qa"}
    when = "When did Northwind Robotics acquire Helix Sensors for $40 million?"
    assert questions[when]["answer"] == "March 2015"
    assert questions["Who is the chief executive of Northwind Robotics?"]["answer"] == "Maria Alvarez"
    assert questions["How much did Northwind Robotics acquire Helix Sensors for?"]["answer"] == ("$40 million")
    assert (
        questions["How many people does Northwind Robotics employ in Boston and Denver?"]["metadata"]["question_type"]
        == "how_many"
    )
    two = DataforgeConfig(generate=GenerateConfig(max_qa_per_chunk=2))
    limited = [ex for ex in doc_examples(config=two) if ex["kind"] == "qa"]
    per_chunk: dict[int, int] = {}
    for ex in limited:
        per_chunk[ex["source_spans"][0]["start"]] = per_chunk.get(ex["source_spans"][0]["start"], 0) + 1
    assert max(per_chunk.values()) <= 2
    assert len(limited) < len(questions)
    answers = [(ex["source_spans"][0]["start"], ex["answer_start"]) for ex in questions.values()]
    assert len(answers) == len(set(answers))  # one question per answer span and chunk


def test_exactly_one_document_summary_of_three_sentences():
    summaries = [ex for ex in doc_examples() if ex["kind"] == "summary"]
    docs = [ex for ex in summaries if ex["metadata"]["scope"] == "document"]
    assert len(docs) == 1
    (doc,) = docs
    # about three sentences: as many as bring the summary closest to its word budget
    assert 2 <= doc["metadata"]["n_sentences"] == len(doc["source_spans"]) <= 4
    assert doc["document"] == DOC_A
    assert doc["compression_ratio"] == round(len(doc["summary"]) / len(DOC_A), 4)
    for s in doc["source_spans"]:
        assert " ".join(DOC_A[s["start"] : s["end"]].split()) in doc["summary"]
    sections = [ex for ex in summaries if ex["metadata"]["scope"] == "section"]
    assert sections == []  # sections of a few sentences are read faster than a summary of them
    short = [ex for ex in doc_examples("doc-b") if ex["kind"] == "summary"]
    # a short document: a summary shorter than it, not a copy of most of it (summary.MAX_COMPRESSION)
    assert len(short) == 1 and 1 <= short[0]["metadata"]["n_sentences"] < 3
    assert short[0]["compression_ratio"] <= summary.MAX_COMPRESSION


def test_generation_is_deterministic_and_sorted():
    first, second = doc_examples(), doc_examples()
    assert first == second
    assert len({ex["id"] for ex in first}) == len(first)
    assert corpus_examples() == corpus_examples()
    other = doc_examples(config=DataforgeConfig(seed=99))
    assert {ex["kind"] for ex in other} == {ex["kind"] for ex in first}


def test_instructions_cover_the_task_library():
    examples = [ex for ex in doc_examples() if ex["kind"] == "instruction"]
    tasks = {ex["metadata"]["task"] for ex in examples}
    wanted = "extract_entities extract_relations list_entities_of_type explain_relation list_dates classify_entities"
    assert set(wanted.split()) | {"suggest_title"} <= tasks
    assert "compare_entities" not in tasks  # two co-occurring names are no comparison
    assert not tasks & {"summarize", "answer_from_context"}  # those repeat summary and QA rows
    dates = next(ex for ex in examples if ex["metadata"]["task"] == "list_dates")["output"]
    assert dates.index("- 2009:") < dates.index("- March 2015:") < dates.index("- 2021:")
    assert all(len(options) >= 3 for options in PHRASINGS.values())
    seen = {ex["instruction"] for n in range(8) for ex in doc_examples(config=DataforgeConfig(seed=n))
            if ex["kind"] == "instruction" and ex["metadata"]["task"] == "extract_entities"}  # fmt: skip
    assert len(seen) >= 2  # the phrasing follows the seed


def test_conversations_are_grounded_dialogues():
    convs = [ex for ex in doc_examples() if ex["kind"] == "conversation"]
    assert {ex["metadata"]["topic"] for ex in convs} == {"document", "entity"}
    summary = next(
        ex["summary"] for ex in doc_examples() if ex["kind"] == "summary" and ex["metadata"]["scope"] == "document"
    )
    flat = " ".join(DOC_A.split())
    for ex in convs:
        roles = [t["role"] for t in ex["conversations"]]
        assert roles[0] == "system"
        assert roles[1:] == ["user", "assistant"] * ((len(roles) - 1) // 2)
        assert 2 <= len(roles) - 1 <= CONFIG.generate.conversation_max_turns
        for t in ex["conversations"][2::2]:
            # a source sentence, or the overview: the document summary's sentences that stand alone
            assert t["content"] in flat or all(s in summary for s in re.split(r"(?<=\.)\s+", t["content"]))
    entities = [ex for ex in convs if ex["metadata"]["topic"] == "entity"]
    followups = [t["content"] for ex in entities for t in ex["conversations"][3::2]]
    assert any(re.search(r"\b(it|its|they|them|their)\b", q) for q in followups)


def test_ner_and_relation_offsets_are_relative_to_their_text():
    examples = [ex for ex in doc_examples() if ex["kind"] in ("ner", "relation")]
    assert {ex["kind"] for ex in examples} == {"ner", "relation"}
    for ex in examples:
        for ent in ex["entities"]:
            assert ex["text"][ent["start"] : ent["end"]] == ent["text"]
    rel = next(ex for ex in examples if ex["kind"] == "relation")
    assert rel["relations"][0].keys() >= {"head", "relation", "tail", "confidence", "predicate", "polarity", "modality"}
    for r in rel["relations"]:  # argument offsets within the window, and their types
        assert " ".join(rel["text"][r["head_start"] :].split()).startswith(r["head"]) and r["head_label"]
        assert " ".join(rel["text"][r["tail_start"] :].split()).startswith(r["tail"]) and r["tail_label"]
    assert all(r["relation"] in SCHEMA_RELATIONS for ex in examples for r in ex["relations"])


def test_empty_and_inconsistent_inputs_never_raise():
    assert generate_document_examples({}, [], [], [], CONFIG) == []
    assert generate_document_examples({"doc_id": "x", "text": "  "}, [], [], [], CONFIG) == []
    assert generate_corpus_examples({}, [], [], [], [], [], CONFIG) == []
    bad = {"doc_id": "doc-a", "start": 0, "end": 5, "text": "wrong", "label": "ORG", "mention_id": "bad"}
    document, chunks, mentions, relations = bundle("doc-a")
    assert generate_document_examples(document, chunks, mentions + [bad], relations, CONFIG) == (
        generate_document_examples(document, chunks, mentions, relations, CONFIG)
    )
    only_text = generate_document_examples(document, [], [], [], CONFIG)
    assert [ex["kind"] for ex in only_text].count("summary") == 1


def test_unanswerable_questions_when_enabled():
    config = DataforgeConfig(generate=GenerateConfig(unanswerable_qa=True))
    none = [ex for ex in doc_examples(config=config) if ex["generator"] == "qa.unanswerable/1"]
    assert none and all(ex["answer"] == "" and ex["answer_start"] == ex["answer_end"] == 0 for ex in none)
    assert all(ex["metadata"]["answer_type"] == "none" for ex in none)


def test_summaries_use_sentence_embeddings_or_tfidf_by_configuration():
    (doc,) = [ex for ex in doc_examples() if ex["kind"] == "summary" and ex["metadata"]["scope"] == "document"]
    assert doc["metadata"]["method"] == "embedding-lead-mmr"
    tfidf = DataforgeConfig(generate=GenerateConfig(summary_method="tfidf"))
    (alt,) = [
        ex for ex in doc_examples(config=tfidf) if ex["kind"] == "summary" and ex["metadata"]["scope"] == "document"
    ]
    assert alt["metadata"]["method"] == "tfidf-lead-mmr" and 2 <= alt["metadata"]["n_sentences"] <= 4
    with pytest.raises(ConfigError):
        generate_document_examples(*bundle("doc-a"), DataforgeConfig(generate=GenerateConfig(summary_method="bert")))
    sections = [ex for ex in doc_examples() if ex["kind"] == "summary" and ex["metadata"]["scope"] == "section"]
    assert not {(s["start"], s["end"]) for ex in sections for s in ex["source_spans"]} & {
        (s["start"], s["end"]) for s in doc["source_spans"]
    }  # a section summary never repeats the document summary


def test_a_document_without_one_body_sentence_gets_no_error() -> None:
    # aidah0 (20 unseen AIDA articles): two league tables, every line a table cell, failed with IndexError
    # in document_examples and were quarantined; a table has no prose, so no instruction lists its dates
    text = "| Team | Points |\n| Red Star | 12 |\n\n| Team | Points |\n| Obilic | 12 |\n"
    cut = text.index("\n\n") + 2
    chunks = [
        dict(doc_id="t", chunk_id=i, start=s, end=e, text=text[s:e], n_tokens=len(text[s:e].split()), heading=None,
             sentences=[{"start": s, "end": e}])
        for i, (s, e) in enumerate([(0, cut - 2), (cut, len(text) - 1)])
    ]  # fmt: skip
    blocks = [{"start": 0, "end": len(text), "role": "table_cell"}]
    document = {"doc_id": "t", "text": text, "title": "Standings", "language": "en", "date": None, "blocks": blocks}
    examples = generate_document_examples(document, chunks, [], [], CONFIG)
    assert not [e for e in examples if e["kind"] in ("summary", "qa")]
