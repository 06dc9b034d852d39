"""Pronouns and "the company" in spaCy parses, linked to named entities by the same rules.

The pipeline's ``document_mentions`` stage adds these mentions to the named entities of a
document and keeps those that link (silver/document_coref): the resolver then runs the same
rules over all of them, as ``dataforge link`` does over mentions produced elsewhere.
"""

from __future__ import annotations

import bisect
from typing import Any

from dataforge.lib.coref.rules import TYPE_NOUNS, link_within_document
from dataforge.lib.link.names import PRONOUNS, parse_name


def find_coref_mentions(
    doc_id: str, parses: list[tuple[int, Any]], named: list[dict[str, Any]], sentences: list[tuple[int, int]]
) -> list[dict[str, Any]]:
    """Pronouns (he, she, it, they, ...) and definite type nominals ("the company") in the parses.

    ``sentences`` are the document's sorted sentence spans, numbered as for the named mentions.
    """
    taken = sorted((m["start"], m["end"]) for m in named)
    starts = [s for s, _ in sentences]
    found: list[dict[str, Any]] = []
    for offset, parsed in parses:
        for token in parsed:
            lowered = token.lower_
            if token.pos_ == "PRON" and PRONOUNS.get(lowered) in ("m", "f", "n", "p"):
                first = token.i
            elif token.tag_ == "NN" and token.lower_ in TYPE_NOUNS and not token.ent_type_ and token.i > 0:
                det = parsed[token.i - 1]  # exactly "the company": a modifier makes it another thing
                if det.lower_ not in ("the", "this", "that") or det.head.i != token.i or token.dep_ == "compound":
                    continue
                first = det.i
            else:
                continue
            span = parsed[first : token.i + 1]
            start, end = offset + span.start_char, offset + span.end_char
            k = bisect.bisect_left(taken, (end, end))
            if k and taken[k - 1][1] > start:  # overlaps a named mention
                continue
            sentence_id = max(bisect.bisect_right(starts, start) - 1, 0)
            sent_start, sent_end = sentences[sentence_id] if sentences else (offset, offset + len(parsed.text))
            found.append(
                {
                    "doc_id": doc_id,
                    "mention_id": f"{doc_id}:c{len(found):05d}",
                    "start": start,
                    "end": end,
                    "text": span.text,
                    "label": None,
                    "sentence_id": sentence_id,
                    "sentence_start": sent_start,
                    "sentence_end": sent_end,
                }
            )
    return found


def coref_mentions(
    doc_id: str, parses: list[tuple[int, Any]], named: list[dict[str, Any]], sentences: list[tuple[int, int]]
) -> list[dict[str, Any]]:
    """The pronouns and type nominals of a document that link to a named entity, as mention rows.

    Each takes the label of the named mention at the root of its chain and records its direct
    antecedent and the rule; those that link to nothing named are dropped.
    """
    extra = find_coref_mentions(doc_id, parses, named, sentences)
    ordered = sorted(named + extra, key=lambda m: (m["start"], m["end"]))
    links = link_within_document(ordered, strict_labels=False)
    parent = {ana: (ante, rule, detail) for ante, ana, rule, detail in links}
    rows = []
    for index, m in enumerate(ordered):
        if m.get("label") is not None or index not in parent:
            continue
        root = index
        while root in parent and ordered[root].get("label") is None:
            root = parent[root][0]
        if ordered[root].get("label") is None:
            continue
        ante, rule, detail = parent[index]
        rows.append(
            {
                **{k: m[k] for k in ("doc_id", "mention_id", "start", "end", "text")},
                "label": ordered[root]["label"],
                "kind": parse_name(m["text"]).kind,
                **{k: m[k] for k in ("sentence_id", "sentence_start", "sentence_end")},
                "antecedent_mention_id": ordered[ante]["mention_id"],
                "rule": rule,
                "detail": detail,
            }
        )
    return rows
