"""Synthetic silver outputs for N documents, written straight into a lake, without the models.

What every release stage reads (lib/release.py): raw/<doc>/source.json, and per document the
silver document_text, document_chunks, document_mentions, document_coref, document_relations,
chunk_embeddings, mention_embeddings and document_examples. The texts are built from sentence
templates so that every mention's offsets, sentence and chunk are true; the examples come from
the real per-document generators (pure Python once parses and vectors are given), so curation
sees the shapes and sizes of real examples.

Entities follow a Zipf law (a few organisations and people in thousands of documents, most in
one or two), each named by surface variants ("Helena Marsh", "Marsh", "Dr. Helena Marsh";
"Northwind Renewable Energy", "Northwind", its acronym introduced in brackets, which the
relation stage reports as an alias), and every mention records the entity it names: the
known clusters that resolution's pairwise recall is measured against.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from dataforge.lib import schemas
from dataforge.lib.lake import Lake
from dataforge.lib.stages import silver_key

DIM = 384
FIRST = "Helena Amara Jonas Priya Mateo Ingrid Kwame Sofia Lars Mei Tomas Aisha Erik Nadia Omar Lena Ravi Clara"
FIRST_NAMES = [*FIRST.split(), "Yusuf", "Ines"]
LAST = (
    "Marsh Okafor Lindqvist Patel Moreau Haugen Mensah Rossi Berg Chen Novak Rahman Dahl Petrov Haddad Vogel Iyer "
    "Laurent Demir Sato Brennan Kowalski Achebe Santos Nilsen Fischer Quinn Varga Olsen Tanaka"
).split()
STEMS = (
    "Northwind Bluefjord Halloran Ostrea Kestrel Meridian Tidewater Aurora Granite Solvik Harbourline Caldera "
    "Brightwater Larkspur Ironbridge Silverdale Westmark Redcliff Stormhaven Evergreen"
).split()
FIELDS = "Renewable Energy|Marine Systems|Grid Storage|Offshore Wind|Hydrogen Works|Cable Technologies".split("|")
SUFFIX = "Corporation Group Institute Holdings Partners Labs".split()
PLACES = "Oslo Aberdeen Bergen Hamburg Rotterdam Esbjerg Gdansk Cork Trondheim Stavanger Leith Bremen".split()
PER_KIND = {"qa": 5, "instruction": 5, "conversation": 2}  # others: 1 per document
ROLES = ("ceo_of", "chair_of", "employee_of", "founded_by")


@dataclass(frozen=True)
class Entity:
    key: str  # the true cluster
    label: str  # PERSON | ORG
    name: str
    variants: tuple[str, ...]
    acronym: str = ""


def universe(n_docs: int, seed: int) -> list[Entity]:
    """People and organisations, about one of each per document, names combined from the lists
    above with a numbered stem where the combinations run out (so names stay distinct)."""
    rng = np.random.default_rng(seed)
    entities = []
    for i in range(max(50, n_docs)):
        first, last = FIRST_NAMES[rng.integers(len(FIRST_NAMES))], LAST[i % len(LAST)]
        last = last if i < len(LAST) * 4 else f"{last}-{STEMS[(i // len(LAST)) % len(STEMS)]}"
        entities.append(Entity(f"P{i}", "PERSON", f"{first} {last}", (f"{first} {last}", last, f"Dr. {first} {last}")))
        stem = STEMS[i % len(STEMS)] + ("" if i < len(STEMS) else f" {LAST[(i // len(STEMS)) % len(LAST)]}")
        field = FIELDS[(i // len(STEMS)) % len(FIELDS)]
        full = f"{stem} {field} {SUFFIX[i % len(SUFFIX)]}"
        acronym = "".join(w[0] for w in full.replace("-", " ").split()).upper()
        entities.append(Entity(f"O{i}", "ORG", full, (full, f"{stem} {field}", acronym), acronym))
    return entities


@lru_cache(maxsize=4)
def _zipf_weights(n: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** 1.1
    return weights / weights.sum()


def _zipf_pick(rng: np.random.Generator, n: int, k: int) -> list[int]:
    return [int(i) for i in rng.choice(n, size=k, replace=False, p=_zipf_weights(n))]


class _Writer:
    """One document's text, built sentence by sentence, recording every mention's offsets."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id, self.text, self.sentences, self.mentions = doc_id, "", [], []
        self.truth: dict[str, str] = {}  # mention id -> true entity key

    def sentence(self, parts: list[str | tuple[Entity | str, str]]) -> list[str]:
        """Parts are plain text or (entity or place, surface); returns the new mention ids."""
        start, ids = len(self.text), []
        sid = len(self.sentences)
        for part in parts:
            if isinstance(part, str):
                self.text += part
                continue
            what, surface = part
            label = what.label if isinstance(what, Entity) else "GPE"
            mid = f"{self.doc_id}:m{len(self.mentions):05d}"
            self.mentions.append({"mention_id": mid, "start": len(self.text), "text": surface, "label": label})
            self.truth[mid] = what.key if isinstance(what, Entity) else f"G:{what}"
            self.text += surface
            ids.append(mid)
        self.sentences.append((start, len(self.text), sid))
        self.text += " "
        return ids


SYLLABLES = "ka lo mi ren tu sa vel or an dri po ku ne ta lis mor fe gan ul bre".split()


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """8,000 pseudo-words (three syllables): the words no two documents share by template."""
    rng = np.random.default_rng(11)
    words = {"".join(SYLLABLES[int(i)] for i in rng.integers(0, len(SYLLABLES), 3)) for _ in range(12000)}
    return tuple(sorted(words))[:8000]


def _detail(w: _Writer, rng: np.random.Generator) -> None:
    """A sentence of the document's own (no entity): real documents share names, not whole texts, and
    without these the templates make most documents near duplicates of each other (containment >= 0.5)."""
    v = vocabulary()
    a, b, c, d = (v[int(i)] for i in rng.integers(0, len(v), 4))
    w.sentence([f"The {a} {b} review counted {int(rng.integers(2, 9999))} {c} units near {d}."])


def document(doc_id: str, entities: list[Entity], rng: np.random.Generator, n_people: int, n_orgs: int) -> dict:
    """Text, mentions, relations and truth for one document about a few Zipf-drawn entities."""
    people = [entities[2 * i] for i in _zipf_pick(rng, len(entities) // 2, n_people)]
    orgs = [entities[2 * i + 1] for i in _zipf_pick(rng, len(entities) // 2, n_orgs)]
    w, relations = _Writer(doc_id), []
    year = int(rng.integers(1990, 2025))
    for org in orgs:
        place = PLACES[int(rng.integers(len(PLACES)))]
        a, b, g = w.sentence([(org, org.name), " (", (org, org.acronym), ") is based in ", (place, place), "."])
        relations += [(a, b, "alias_of", "alias", "also known as"), (a, g, "headquartered_in", "prep", "based in")]
        w.sentence([(org, org.variants[1]), f" reported higher output in {year}."])
        _detail(w, rng), _detail(w, rng)
    for person in people:
        org = orgs[int(rng.integers(len(orgs)))]
        role = ROLES[int(rng.integers(len(ROLES)))]
        p, o = w.sentence(
            [
                (person, person.variants[int(rng.integers(0, 3, 1)[0]) % 3]),
                ", who joined ",
                (org, org.acronym),
                f" in {year}, spoke.",
            ]
        )
        relations.append((p, o, role, "appos", role.replace("_", " ")))
        w.sentence([(person, person.variants[1]), " said the work with ", (org, org.variants[1]), " would continue."])
        _detail(w, rng), _detail(w, rng)
    return {"writer": w, "relations": relations, "year": year}


def _vector(key: str, rng: np.random.Generator, noise: float) -> np.ndarray:
    """A unit vector near a fixed direction per key: mentions of one entity embed alike."""
    base = np.random.default_rng(int(hashlib.sha256(key.encode()).hexdigest()[:12], 16)).normal(size=DIM)
    v = base + rng.normal(size=DIM) * noise
    return (v / np.linalg.norm(v)).astype(np.float32)


def hashed_embed(texts: list[str]) -> np.ndarray:
    """Deterministic stand-in for the encoder: a text's vector from its words' hashed directions,
    so paraphrases sharing most words land close, as with MiniLM (a word's direction is drawn
    once: the stand-in must not be what the release spends its time on)."""
    out = np.zeros((len(texts), DIM), np.float32)
    for i, t in enumerate(texts):
        for word in t.lower().split():
            out[i] += _word_vector(word)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


@lru_cache(maxsize=200_000)
def _word_vector(word: str) -> np.ndarray:
    return _vector(word, np.random.default_rng(0), 0.0)


def _evidence(m: dict[str, Any]) -> str:
    votes = {m["label"]: 3.0}
    return json.dumps(
        {"evidence": [["spacy", m["label"], 3.0, "1 of 1", 1]], "label": m["label"], "name": m["text"], "votes": votes}
    )


def write_document(lake: Lake, doc_id: str, built: dict, config: Any, rng: np.random.Generator) -> dict[str, str]:
    """Every silver file of one document, as the per-document stages would have written it;
    returns the document's mention id -> true entity."""
    from dataforge.lib.generate import generate_document_examples

    w: _Writer = built["writer"]
    text = w.text.rstrip()
    chunks, mentions = [], []
    for c, first in enumerate(range(0, len(w.sentences), 4)):
        sents = w.sentences[first : first + 4]
        start, end = sents[0][0], sents[-1][1]
        chunks.append(
            {
                "doc_id": doc_id,
                "chunk_id": c,
                "start": start,
                "end": end,
                "text": text[start:end],
                "n_tokens": len(text[start:end].split()),
                "heading": "",
                "language": "en",
                "sentences": [{"start": s, "end": e} for s, e, _ in sents],
            }
        )
    bounds = [(s, e, sid, sid // 4) for s, e, sid in w.sentences]
    for m in w.mentions:
        s, e, sid, cid = next(b for b in bounds if b[0] <= m["start"] < b[1])
        end = m["start"] + len(m["text"])
        mentions.append(
            {
                **m,
                "doc_id": doc_id,
                "end": end,
                "sentence_id": sid,
                "sentence_start": s,
                "sentence_end": e,
                "chunk_id": cid,
                "spacy_label": m["label"],
                "type_evidence": _evidence(m),
            }
        )
    by_id = {m["mention_id"]: m for m in mentions}
    relations = []
    for head, tail, relation, pattern, predicate in built["relations"]:
        h, t = by_id[head], by_id[tail]
        relations.append(
            {
                "doc_id": doc_id,
                "head_mention_id": head,
                "head": h["text"],
                "head_label": h["label"],
                "relation": relation,
                "tail_mention_id": tail,
                "tail": t["text"],
                "tail_label": t["label"],
                "confidence": 0.9,
                "evidence_start": h["sentence_start"],
                "evidence_end": h["sentence_end"],
                "pattern": pattern,
                "kind": "typed",
                "predicate": predicate,
                "polarity": "affirmative",
                "modality": "asserted",
                "inverse": False,
            }
        )
    title = f"{w.mentions[0]['text']} annual notes {built['year']}"
    row = {
        "doc_id": doc_id,
        "text": text,
        "media_type": "text/plain",
        "title": title,
        "author": None,
        "date": f"{built['year']}-06-01T00:00:00+00:00",
        "language": "en",
        "page_count": 1,
        "word_count": len(text.split()),
        "pages": [{"page": 1, "start": 0, "end": len(text)}],
        "metadata_json": "{}",
        "subtitle": None,
        "dateline": None,
        "byline": None,
        "blocks": [],
    }
    data = text.encode()
    lake.write_json(
        f"raw/{doc_id}/source.json",
        {
            "doc_id": doc_id,
            "file_name": f"{doc_id}.txt",
            "media_type": "text/plain",
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
            "source": f"synthetic/{doc_id}.txt",
        },
    )
    lake.write_rows(silver_key("document_text", doc_id), [row], schemas.DOCUMENT_TEXT)
    lake.write_rows(silver_key("document_chunks", doc_id), chunks, schemas.DOCUMENT_CHUNKS)
    lake.write_rows(silver_key("document_mentions", doc_id), mentions, schemas.DOCUMENT_MENTIONS)
    lake.write_rows(silver_key("document_relations", doc_id), relations, schemas.DOCUMENT_RELATIONS)
    _vectors(
        lake,
        "chunk_embeddings",
        doc_id,
        "chunk_id",
        [str(c["chunk_id"]) for c in chunks],
        [_vector(f"{doc_id}/{c['chunk_id']}", rng, 0.0) for c in chunks],
    )
    _vectors(
        lake,
        "mention_embeddings",
        doc_id,
        "mention_id",
        [m["mention_id"] for m in mentions],
        [_vector(w.truth[m["mention_id"]], rng, 0.6) for m in mentions],
    )
    document = {"doc_id": doc_id, "text": text, "title": title, "language": "en", "date": row["date"], "blocks": []}
    examples = generate_document_examples(
        document, chunks, mentions, [r for r in relations], config, embed=hashed_embed
    )
    lake.write_rows(silver_key("document_examples", doc_id), schemas.example_rows(doc_id, examples), schemas.EXAMPLES)
    return w.truth


def _per_kind(examples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first few examples of each kind: about 15 per document of ~150 words, the rate real
    documents give per word (samples/: 64 for 580 words), where the templates' repetitive
    sentences would give 70."""
    seen: Counter[str] = Counter()
    kept = []
    for e in examples:
        seen[e["kind"]] += 1
        if seen[e["kind"]] <= PER_KIND.get(e["kind"], 1):
            kept.append(e)
    return kept


def _vectors(lake: Lake, stage: str, doc_id: str, id_column: str, ids: list[str], vectors: list[np.ndarray]) -> None:
    import pyarrow as pa

    from dataforge.lib.stages import _vector_table

    ids_array = pa.array([int(i) for i in ids], pa.int32()) if id_column == "chunk_id" else pa.array(ids, pa.string())
    columns = {"doc_id": pa.array([doc_id] * len(ids), pa.string()), id_column: ids_array}
    lake.write_table(silver_key(stage, doc_id), _vector_table(columns, np.stack(vectors)))


def document_rng(seed: int, index: int) -> np.random.Generator:
    """Document ``index``'s own generator: a document's text, vectors and examples depend on the
    seed and its index only, so a build split over processes writes the same files as one."""
    return np.random.default_rng([seed, index])


def build_range(lake: Lake, n_docs: int, config: Any, first: int, stop: int, seed: int = 7) -> dict[str, str]:
    """Documents ``first`` to ``stop - 1`` of an N-document corpus; returns their mention truths."""
    entities = universe(n_docs, seed)
    truth: dict[str, str] = {}
    for i in range(first, stop):
        rng = document_rng(seed, i)
        doc_id = f"synthetic-{i:07d}"
        built = document(doc_id, entities, rng, int(rng.integers(2, 5)), int(rng.integers(1, 4)))
        truth.update(write_document(lake, doc_id, built, config, rng))
    return truth


def _build_part(args: tuple[str, int, Any, int, int, int]) -> dict[str, str]:
    from dataforge.lib.lake import LocalLake

    root, n_docs, config, first, stop, seed = args
    return build_range(LocalLake(root), n_docs, config, first, stop, seed)


def build(
    lake: Lake, n_docs: int, config: Any, seed: int = 7, workers: int = 1, part_size: int = 500
) -> dict[str, str]:
    """N synthetic documents' silver in ``lake``; returns every mention id -> its true entity.

    ``workers`` > 1 writes parts of ``part_size`` documents in that many processes (a local lake only:
    each process opens it by path); the files are the same as one process writes."""
    if workers <= 1:
        return build_range(lake, n_docs, config, 0, n_docs, seed)
    import multiprocessing

    root = str(lake.root)  # type: ignore[attr-defined]
    parts = [
        (root, n_docs, config, first, min(n_docs, first + part_size), seed) for first in range(0, n_docs, part_size)
    ]
    truth: dict[str, str] = {}
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        for part in pool.imap(_build_part, parts):
            truth.update(part)
    return truth
