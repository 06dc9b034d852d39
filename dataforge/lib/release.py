"""Corpus-level stages for one release: a frozen snapshot of the processed documents.

A release's membership is fixed the first time any of its stages runs (``documents.json``),
so rebuilding it later gives the same datasets even when new documents arrived meanwhile.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import UTC, datetime
from itertools import chain
from typing import Any

import dataforge
from dataforge.lib import graph as graphs
from dataforge.lib import schemas
from dataforge.lib.bulk import gather, iter_records, read_matrix, read_stages, read_texts, read_vectors
from dataforge.lib.cluster_types import (
    MentionTypes,
    cluster_types,
    count_type_conflicts,
    entity_type_conflicts,
    relabel_examples,
    type_evidence_rows,
    without_disputed,
)
from dataforge.lib.config import DataforgeConfig
from dataforge.lib.ingest import list_documents, quarantine_key, read_source
from dataforge.lib.lake import Lake
from dataforge.lib.link import resolve
from dataforge.lib.nlp import ENTITY_LABELS
from dataforge.lib.quality.pii import events_without_pii
from dataforge.lib.stages import silver_key, without_pii
from dataforge.lib.timeline import date_conflicts, extract_events, order_events
from dataforge.lib.withdrawals import PREFIX as WITHDRAWN
from dataforge.lib.withdrawals import withdrawal_key, withdrawn


def release_prefix(release: str) -> str:
    return f"gold/releases/{release}"


def processed_documents(lake: Lake) -> list[str]:
    """Documents whose per-document stages all finished, not quarantined and not withdrawn.

    Four listings instead of lookups per document: on S3 that is a few requests per
    thousand documents rather than thousands.
    """
    finished = set(lake.list("silver/document_examples"))
    quarantined = set(lake.list("quarantine"))
    taken_down = set(lake.list(WITHDRAWN))
    return [
        d
        for d in list_documents(lake)
        if silver_key("document_examples", d) in finished
        and quarantine_key(d) not in quarantined
        and withdrawal_key(d) not in taken_down
    ]


def freeze_members(lake: Lake, release: str) -> list[str]:
    """The release's document ids, fixed on first use by a create-only write: two stages (or
    two runs) freezing at once agree on one membership, the first one written."""
    key = f"{release_prefix(release)}/documents.json"
    if not lake.exists(key):
        members = processed_documents(lake)
        gone = withdrawn(lake)
        lake.write_new_json(key, {"release": release, "doc_ids": members, "withdrawn": sorted(gone)})
    return lake.read_json(key)["doc_ids"]


def release_withdrawals(lake: Lake, release: str) -> list[dict[str, Any]]:
    """The withdrawals in force when the release froze its members (for its manifest)."""
    frozen = lake.read_json(f"{release_prefix(release)}/documents.json")
    known = withdrawn(lake)
    return [known.get(d) or {"doc_id": d} for d in frozen.get("withdrawn", [])]


def release_members(lake: Lake, release: str) -> list[str] | None:
    key = f"{release_prefix(release)}/documents.json"
    return lake.read_json(key)["doc_ids"] if lake.exists(key) else None


def default_release_name(doc_ids: list[str], config: DataforgeConfig) -> str:
    """Named after its content: the same documents and configuration give the same name."""
    digest = hashlib.sha256("\n".join([config.config_hash(), *sorted(doc_ids)]).encode()).hexdigest()
    return f"release-{digest[:10]}"


def release_exists(lake: Lake, release: str) -> bool:
    return lake.exists(f"{release_prefix(release)}/manifest.json")


def _gather(lake: Lake, stage: str, members: list[str]) -> list[dict[str, Any]]:
    return gather(lake, stage, members)


def build_entity_clusters(lake: Lake, release: str, config: DataforgeConfig) -> dict[str, Any]:
    members = freeze_members(lake, release)
    # The graph is part of the release: a mention that is (part of) a contact identifier
    # never becomes a node, whatever label spaCy gave it.
    texts = read_texts(lake, members)
    mentions = [
        m
        for doc, rows in zip(texts, read_stages(lake, "document_mentions", members), strict=True)
        for m in without_pii(doc["text"], rows, config)
        if m["label"] in ENTITY_LABELS
    ]
    del texts
    linked = gather(lake, "document_coref", members, missing_ok=True)
    aliases = [
        (r["head_mention_id"], r["tail_mention_id"])
        for r in _gather(lake, "document_relations", members)
        if r["pattern"] == "alias"
    ]
    everything = mentions + linked
    vectors = _mention_vectors(lake, members, everything) if config.nlp.mention_vectors else None
    result = resolve(everything, aliases, vote_labels=True, vectors=vectors)
    assignments = result["assignments"]
    # one type per cluster, voted from every document's evidence; each mention takes it
    types = cluster_types(everything, assignments)
    for entity in result["entities"]:
        entity["label"] = types.get(entity["cluster_id"], {}).get("label", entity["label"])
    label_of = {e["cluster_id"]: e["label"] for e in result["entities"]}
    conflicts = count_type_conflicts(mentions, assignments, label_of)
    prefix = release_prefix(release)
    keep = ("doc_id", "mention_id", "start", "end", "text")

    def graph_row(m: dict[str, Any]) -> dict[str, Any]:
        cluster = assignments[m["mention_id"]]
        return {**{k: m[k] for k in keep}, "label": label_of.get(cluster, m["label"]), "cluster_id": cluster}

    lake.write_rows(f"{prefix}/graph/mentions.parquet", [graph_row(m) for m in mentions], schemas.GRAPH_MENTIONS)
    lake.write_rows(f"{prefix}/graph/coref_mentions.parquet", [graph_row(m) for m in linked], schemas.GRAPH_MENTIONS)
    lake.write_rows(f"{prefix}/graph/entities.parquet", result["entities"], schemas.ENTITIES)
    lake.write_rows(f"{prefix}/graph/merge_evidence.parquet", result["evidence"], schemas.MERGE_EVIDENCE)
    names = {e["cluster_id"]: e["canonical_name"] for e in result["entities"]}
    evidence_rows = type_evidence_rows(types, names)
    lake.write_rows(f"{prefix}/graph/type_evidence.parquet", evidence_rows, schemas.TYPE_EVIDENCE)
    multi = [e for e in result["entities"] if e["doc_count"] > 1]
    return {
        "documents": len(members),
        "mentions": len(mentions),
        "coref_mentions": len(linked),
        "context_vectors": vectors is not None,
        "clusters": len(result["entities"]),
        "cross_document_clusters": len(multi),
        "merges_by_rule": dict(sorted(Counter(e["rule"] for e in result["evidence"]).items())),
        "top_entities": result["entities"][:10],
        # silver mentions (what per-document generators read) typed otherwise than their cluster
        "mentions_type_differs_from_entity": conflicts,
        "clusters_by_type": dict(sorted(Counter(label_of.values()).items())),
        "type_evidence": evidence_rows[:10],
    }


def _mention_vectors(lake: Lake, members: list[str], mentions: list[dict[str, Any]]) -> Any:
    """Context vectors aligned with ``mentions``, or None unless every mention has one."""
    return read_matrix(lake, "mention_embeddings", members, "mention_id", [m["mention_id"] for m in mentions])


def _assignments(lake: Lake, release: str) -> dict[str, str]:
    rows = lake.read_rows(f"{release_prefix(release)}/graph/mentions.parquet")
    return {r["mention_id"]: r["cluster_id"] for r in rows}


def _entities(lake: Lake, release: str) -> list[dict[str, Any]]:
    return lake.read_rows(f"{release_prefix(release)}/graph/entities.parquet")


def build_knowledge_graph(lake: Lake, release: str, config: DataforgeConfig) -> dict[str, Any]:
    members = freeze_members(lake, release)
    entities = _entities(lake, release)
    names = {e["cluster_id"]: e["canonical_name"] for e in entities}
    edges = graphs.aggregate_relations(_gather(lake, "document_relations", members), _assignments(lake, release))
    for edge in edges:
        edge["head_name"], edge["tail_name"] = names[edge["head_cluster"]], names[edge["tail_cluster"]]
    graph = graphs.build_graph(entities, edges)
    rank, community = graphs.centrality(graph)
    for node in graph.nodes:
        graph.nodes[node]["pagerank"] = rank.get(node, 0.0)
        graph.nodes[node]["community"] = community.get(node, -1)
    prefix = release_prefix(release)
    lake.write_rows(f"{prefix}/graph/relations.parquet", edges, schemas.GRAPH_RELATIONS)
    nodes = [
        {
            "cluster_id": e["cluster_id"],
            "canonical_name": e["canonical_name"],
            "label": e["label"],
            "pagerank": rank.get(e["cluster_id"], 0.0),
            "community": community.get(e["cluster_id"], -1),
        }
        for e in entities
    ]
    nodes.sort(key=lambda n: (-n["pagerank"], n["cluster_id"]))
    lake.write_rows(f"{prefix}/graph/nodes.parquet", nodes, schemas.NODES)
    lake.write_bytes(f"{prefix}/graph/knowledge_graph.graphml", graphs.graphml_bytes(graph))
    lake.write_bytes(f"{prefix}/graph/central.png", graphs.draw_central(graph, rank))
    return {**graphs.graph_summary(entities, edges), "central_nodes": nodes[:10], "graph": graph}


def _event_scrubber(text: str, config: DataforgeConfig) -> Any:
    """The pseudonymizer of the datasets, knowing this document's identifiers."""
    from dataforge.lib.quality import Scrubber, find_pii

    q = config.quality
    types = [t for t in q.pii_types if t != "PERSON"]
    known = tuple(sorted({(text[s:e], k) for s, e, k in find_pii(text, types)})) if q.pii_strategy != "keep" else ()
    return Scrubber(q.pii_strategy, tuple(types), config.seed, known=known)


def build_timeline(lake: Lake, release: str, config: DataforgeConfig) -> dict[str, Any]:
    members = freeze_members(lake, release)
    assignments = _assignments(lake, release)
    names = {e["cluster_id"]: e["canonical_name"] for e in _entities(lake, release)}
    coref_key = f"{release_prefix(release)}/graph/coref_mentions.parquet"
    if lake.exists(coref_key):  # "she" and "the company" make their clusters participants too
        assignments.update({r["mention_id"]: r["cluster_id"] for r in lake.read_rows(coref_key)})
    events, starts = [], {}
    coref = read_stages(lake, "document_coref", members, missing_ok=True)
    named = read_stages(lake, "document_mentions", members)
    for doc_id, doc, mentions, linked in zip(members, read_texts(lake, members), named, coref, strict=True):
        mentions += linked
        starts.update({m["mention_id"]: m["start"] for m in mentions})
        found = extract_events(doc_id, doc["text"], mentions, assignments, doc.get("date"))
        events.extend(events_without_pii(doc["text"], found, _event_scrubber(doc["text"], config)))
    events = order_events(events)
    for event in events:
        event["participants"] = [names[c] for c in event["cluster_ids"] if c in names]
    lake.write_rows(f"{release_prefix(release)}/timeline.parquet", events, schemas.TIMELINE)
    relations = [
        {**r, "head_start": starts[r["head_mention_id"]], "tail_start": starts[r["tail_mention_id"]]}
        for r in _gather(lake, "document_relations", members)
        if r["kind"] == "typed" and r["head_mention_id"] in starts and r["tail_mention_id"] in starts
    ]
    conflicts = date_conflicts(events, relations, assignments)
    lake.write_json(f"{release_prefix(release)}/timeline_conflicts.json", conflicts)
    return {
        "events": len(events),
        "possible_date_conflicts": len(conflicts),
        "first": events[0]["date"] if events else None,
        "last": events[-1]["date"] if events else None,
    }


def build_corpus_examples(lake: Lake, release: str, config: DataforgeConfig) -> dict[str, Any]:
    from dataforge.lib.generate import generate_corpus_examples

    members = freeze_members(lake, release)
    prefix = release_prefix(release)
    documents = {}
    for doc_id, doc in zip(members, read_texts(lake, members), strict=True):
        documents[doc_id] = {k: doc[k] for k in ("doc_id", "text", "title", "language", "date")}
    assignments = _assignments(lake, release)
    mentions = [
        {**m, "cluster_id": assignments.get(m["mention_id"])}
        for doc_id, rows in zip(members, read_stages(lake, "document_mentions", members), strict=True)
        for m in without_pii(documents[doc_id]["text"], rows, config)
    ]
    relations = []
    for r in _gather(lake, "document_relations", members):
        if r["kind"] == "typed":
            relations.append(
                {
                    **r,
                    "head_cluster": assignments.get(r["head_mention_id"]),
                    "tail_cluster": assignments.get(r["tail_mention_id"]),
                }
            )
    chunk_vectors = []
    chunks = read_stages(lake, "document_chunks", members)
    # float32 arrays, not lists of Python floats: 8x less memory for every chunk of the release
    for vectors, doc_chunks in zip(read_vectors(lake, "chunk_embeddings", members, "chunk_id"), chunks, strict=True):
        chunk_vectors.extend((c, vectors[c["chunk_id"]]) for c in doc_chunks if c["chunk_id"] in vectors)
    events = lake.read_rows(f"{prefix}/timeline.parquet")
    base = None  # per-document examples, only read when augmentation multiplies them
    if config.generate.augment.enabled:
        base = [json.loads(row["record"]) for row in _gather(lake, "document_examples", members)]
    examples = generate_corpus_examples(
        documents, _entities(lake, release), mentions, relations, events, chunk_vectors, config, base
    )
    rows = schemas.example_rows("", examples)
    lake.write_rows(f"silver/corpus_examples/{release}.parquet", rows, schemas.EXAMPLES)
    return {
        "examples": len(examples),
        **{f"examples_{k}": v for k, v in sorted(Counter(e["kind"] for e in examples).items())},
    }


def build_training_dataset(lake: Lake, release: str, config: DataforgeConfig) -> dict[str, Any]:
    from dataforge.lib.export.tables import dataset_files, dataset_kinds, rejected_files
    from dataforge.lib.quality.pipeline import admit_documents, curate_admitted
    from dataforge.lib.quality.splits import load_assignments, save_assignments
    from dataforge.lib.review import load_decisions

    members = freeze_members(lake, release)
    graph_key = f"{release_prefix(release)}/graph/mentions.parquet"  # entities take their cluster's type
    graph_mentions = lake.read_rows(graph_key) if lake.exists(graph_key) else []
    documents = {}  # whole texts and mentions: document dedup/filters, source-text PII, dates, places
    # curation reads a document mention's text and label only (names and places to scrub)
    named = read_stages(lake, "document_mentions", members, columns=("text", "label"))
    for doc_id, doc, mentions in zip(members, read_texts(lake, members), named, strict=True):
        documents[doc_id] = {"text": doc["text"], "language": doc.get("language"), "mentions": mentions}
        documents[doc_id]["blocks"] = doc.get("blocks")
    del named
    # Documents are curated first; examples then stream past in batches, and those of removed
    # documents are never held (quality/admit.py). Same datasets and report as one list.
    admission = admit_documents(config, documents)
    types = MentionTypes(graph_mentions)
    disputed = relabelled = 0
    corpus = [json.loads(row["record"]) for row in lake.read_rows(f"silver/corpus_examples/{release}.parquet")]
    for batch in chain(iter_records(lake, "document_examples", members), [corpus]):
        batch, left_out = without_disputed(batch, types)
        disputed += left_out
        relabelled += relabel_examples(batch, types)
        admission.add(batch)
    del corpus, batch
    prefix = release_prefix(release)
    graph = {"mentions": graph_mentions} if lake.exists(graph_key) else {}
    if lake.exists(key := f"{prefix}/graph/entities.parquet"):
        graph["entities"] = lake.read_rows(key)
    splits = {d: row["split"] for d, row in load_assignments(lake).items()}  # kept from earlier releases
    curated = curate_admitted(
        admission,
        release,
        config,
        documents=documents,
        decisions=load_decisions(lake),
        graph=graph,
        split_assignments=splits,
    )
    datasets, report = curated.datasets, curated.report
    report["splits"]["newly_assigned_documents"] = save_assignments(lake, splits, release)
    for path, data in sorted(rejected_files(curated.rejected).items()):  # the gate's rejects first
        lake.write_bytes(f"{prefix}/{path}", data)
    if config.quality.withhold_failing:  # rows failing a per-example check join them in rejected/
        from dataforge.lib.checks import withhold_release_rows

        sources = [d["text"] for d in documents.values()]
        datasets, report["withheld"] = withhold_release_rows(lake, release, datasets, config, sources)
    for kind in dataset_kinds(datasets):  # one kind's bytes at a time, not every file at once
        for path, data in sorted(dataset_files({kind: datasets.get(kind, [])}, kinds=[kind]).items()):
            lake.write_bytes(f"{prefix}/{path}", data)
    report = {"release": release, **report}
    report["entity_types"] = {
        "examples_left_out_type_disputed": disputed,
        "example_entities_relabelled_to_cluster_type": relabelled,
        "example_entities_type_differs_from_entity": entity_type_conflicts(
            [e for rows in datasets.values() for e in rows], types
        ),
    }
    lake.write_json(f"{prefix}/quality_report.json", report)
    return {
        "examples_in": admission.count,
        "report": report,
        "rows": {kind: len(rows) for kind, rows in sorted(datasets.items())},
    }


def read_datasets(lake: Lake, release: str) -> dict[str, list[dict[str, Any]]]:
    prefix = f"{release_prefix(release)}/datasets"
    datasets: dict[str, list[dict[str, Any]]] = {}
    for key in lake.list(prefix):
        if key.endswith(".jsonl"):
            name = key.rsplit("/", 1)[1][: -len(".jsonl")]
            text = lake.read_bytes(key).decode("utf-8")
            datasets[name] = [json.loads(line) for line in text.splitlines() if line.strip()]
    return datasets


def build_exports(lake: Lake, release: str, config: DataforgeConfig) -> dict[str, Any]:
    from dataforge.lib import export

    members = freeze_members(lake, release)
    datasets = read_datasets(lake, release)
    prefix = release_prefix(release)
    report = lake.read_json(f"{prefix}/quality_report.json")
    files = export.export_files(datasets, report, config.quality.review_fraction, config.seed)
    errors = {path: errs for path, errs in export.validate_exports(files).items() if errs}
    types = export.scan_types(config.quality.pii_types, config.quality.pii_strategy)
    pii_left = export.scan_pii(files, types, seed=config.seed)
    if errors or any(pii_left.values()):
        raise ValueError(f"exports of {release} failed validation: {errors or ''} PII left: {pii_left}")
    for path, data in sorted(files.items()):
        lake.write_bytes(f"{prefix}/{path}", data)
    documents = []
    for doc_id in members:
        source = read_source(lake, doc_id)
        documents.append(
            {
                "doc_id": doc_id,
                "sha256": source["sha256"],
                "source": source["source"],
                "file_name": source["file_name"],
                "size": source["size"],
            }
        )
    manifest = export.build_manifest(
        release,
        datetime.now(UTC).isoformat(timespec="seconds"),
        dataforge.__version__,
        config.config_hash(),
        documents,
        datasets,
    )
    manifest["withdrawn"] = release_withdrawals(lake, release)  # taken down: not in this release
    manifest["validation"] = {"files_checked": len(export.validate_exports(files)), "errors": 0, "pii_left": pii_left}
    lineage = export.lineage_rows(datasets, documents)
    lake.write_bytes(f"{prefix}/{export.LINEAGE_PATH}", b"".join(json.dumps(r).encode() + b"\n" for r in lineage))
    lake.write_bytes(f"{prefix}/README.md", export.dataset_card(release, manifest, report, datasets))
    lake.write_json(f"{prefix}/manifest.json", manifest)  # written last: its presence marks a complete release
    return {"files": len(files) + 2, "manifest": manifest}
