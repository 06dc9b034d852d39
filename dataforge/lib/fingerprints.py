"""Which configuration and code made each per-document output, and what is stale now.

Per-document outputs are keyed by document id, so without this a changed ``chunk.max_tokens``
would ship old chunks under the new config hash. Each stage has a code version (bump it when
its code changes what it writes) and the settings it reads; its fingerprint hashes those and
its inputs' fingerprints. After a stage finishes a document, the fingerprint is stored in
``silver/_fingerprints/<doc_id>.json``; a stage is current for a document only while the
stored fingerprint equals the one the configuration gives now. Dagster sees the same facts:
``stage_code_version`` is the asset's ``code_version`` and the fingerprint its data version.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.ingest import is_quarantined
from dataforge.lib.lake import Lake
from dataforge.lib.stages import DOCUMENT_STAGES, BatchReport, Log

# Bump a stage's version when its code changes what it writes; list every setting it reads.
# A stage's fingerprint covers its own version and settings and its inputs' fingerprints, so
# a change anywhere upstream makes every stage below it stale too, and nothing else.
STAGE_CODE_VERSIONS: dict[str, str] = {
    "raw_document": "1",
    # 3: repeated passages are found with the splitter's new caption ends (document_chunks 6)
    "document_text": "4",  # 2: the wire's "CITY 1996-08-30 " dateline is a dateline block; 4: "(CNN) Deputies"
    # 6: a caption ends before a capitalised function word ("... her face An 86-year-old nun"), "D.C. The ..."
    # 5: caption ends before "In/And/But/After ..." and a caption run into the sentence it repeats; "Spc."
    # 7: inline list markers ("cancer 1. Richie") and capital item headings are spans of their own
    # document_chunks 8: no sentence ends inside "Yahoo! News" nor after "Msgr."
    "document_chunks": "8",  # 4: titles before a name ("Const.", "Lt.", "Hon.") end no sentence
    # 6: company/product/work usage clues, modifier-only names, author initials before "AS";
    # 5: technology (PRODUCT), speech-verb and first-name-of-a-term evidence
    # 8: a holiday or a day ("Easter Saturday", gender-guesser's "Easter") is DATE, never PERSON (calendar_name)
    # 9: event head words (Grand Prix, Cup), NORP adjectives apart, determiner + name is no person, outlet +
    # person spans split, multi-word states GPE, royal titles, "on Broadway" shows, news outlet head words
    # 11: no speech-verb clue for an acronym ("NASA said"), organization appositives ("X, the ... Agency,")
    # vote ORG, "Patient B", "Kermit the Frog", "X himself" PERSON, "Champions League" EVENT
    # 12: offices and post-nominals out of person spans, lower-case tails cut, an acronym joins its
    # organization, Series/Tour/Games events, product and current heads, "X Hospital in Place" split, "Kim" =
    # "Kim In-so"
    # 13: a natural-feature noun stays in a place name ("the Lofoten islands")
    # 14: a name taken/reached or in a dateline is a place without person evidence, former states GPE,
    # business heads ("Skin Laundry") ORG, byline/dateline and "Isco Gareth Bale" spans cut, "Adelaide City stores"
    # 15: parties and international bodies are ORG (org_lexicon); 16: "Colombian Camilo Villegas" and
    # "Barrientos' Facebook" cut into nationality + person, person + what is theirs (span_cuts)
    # 17: a region word ("Caribbean") joins no longer name and as a noun is LOC; "Ixopo, a small town" GPE;
    # a one-word place spaCy always calls PERSON, with nothing placing it, is a person ("Dole"); "West Bank" GPE
    # document_mentions 19: a span of titles only ("Sgt", "Associate Dean") or an office ("Surgeon General") is
    # no name; "Chair of the Federation of ..." is the Federation
    # document_mentions 18: a player's position ("Striker Ola Berg") is cut from a PERSON span; a book's
    # head ("The Standard Book of Spells") makes a WORK_OF_ART
    # document_mentions 20: a one-word name that ends two first-name-led names ("Cheeks" beside "Maurice
    # Cheeks" and "Mo Cheeks") has a surname's PERSON evidence; "Advisors", "Associates" make an ORG;
    # a score is cut from the team it follows ("Estonia 1-0")
    "document_mentions": "20",  # 7: ranks and credentials out of person spans; 10: a PERSON's "Sister"
    # document_relations 4: "A and B of the Tribune" relates the Tribune to B, the name it stands beside
    "document_relations": "4",  # 2: relation windows skip every dateline form; 3: a claimed clause is no fact
    "chunk_embeddings": "1",
    # 11: document summaries rank sentences by embedding and TF-IDF cosine together (summary.hybrid_rows);
    # 10: questions checked against their source parse (depqa.source_defect), pronoun chains (referents);
    # 9: summaries: no site furniture, commands or speakerless quotations; a section summary opens with the
    # section's own first sentence; 8: reworded repeats out of document summaries, single-quoted speech is
    # no first person, "top of this story"; 7: a conversation's system turn carries its source text;
    # 6: NER windows drop repeated terms ("Turing machine"), fused spans ("King of"), cut formulas;
    # 5: a site-name suffix is cut only when the source name starts with it; 4: PERSON needs a person
    # clue; merged lists, references, URLs out of NER; no markup summary sentences, section gate
    # 13: a document summary takes its k-th sentence unless it overshoots the budget by far (summary._fills),
    # and no sentence holding a caption run into a name (captions.holds_caption)
    # 14: doubled words and "Most recently," / "At the time," / "Here, X recounts" are not standalone;
    # no "(pictured)" / "(left)" photo pointers in summary, profile and timeline text;
    # 15: a document without one body sentence (a league table) is no IndexError in instruction.generate
    # 16: a qa question names its subject, asks no reported claim, answers with the full name
    # 17: no dependency question from a parse sentence that runs past the splitter's ("Los Angeles 4?");
    # 18: the claim check moved into lib.assertion (modality "claimed"), which climbs the same chain as the rest
    # 19: a heading line is no wrapped sentence ("In June" / "2021 ..."); explain_relation from standalone
    # sentences, quoting the linking words; entity lists without plurals; titles without a wire's "-radio"
    # and run-on captions and garbled prepositions are not standalone, "It's" is "It", a noun subject is what a
    # clause pronoun after it means, "But <Name>" loses its "But", no summary copies most of its document
    # 20: qa answers and questions name people in full (a context reaching back to the full name), no
    # headline words, relative times dated or cut, no question two entities answer, no copied typo
    # 21: conversation identity answers composed from a role, appositive or copula; side-clause facts by span
    # 22: a document summary has at most the configured k sentences (no padding (k+1)-th)
    # 22: entity lists keep a surname of another person ("Yeltsin" beside "Naina Yeltsin"), NORP wording
    # 22: qa contexts start at a sentence, present-tense captions, stranded/one-party/opinion phrasings,
    # hedge words off value answers; instruction titles without the repeating heading, no trailing markup
    # 22: identity answers keep a role's complement, a bare office's company, a founding; no shared surname
    # asked; "his" after its name stays; overviews without a scene or birthplace, a court outcome asked
    # 22: summaries: no sentence pointing at a referent left out (coref, "these images", "the footage"),
    # bare surnames given in full, copied grammar errors (spaCy parse) left out, results tables none,
    # "today" dated from the dateline
    # 23: the round-9 merges together (summary.document/7, conversation.document/5)
    # 24: a relation window's line wraps read as spaces (relation.window/2); conversations: no identity
    # from a coordination cut short, a caption or a place noun for a group;
    # no "also"; a follow-up identity the overview already gave is none; no "When was X a Y?"; no lead on "Now";
    # a show's name never spelled out as a person; one company asked about once
    # 25: a description ("The quaint capital city") needs the name it stands for in a summary; a single
    # quote opened and never closed is half a quotation (standalone.unbalanced_quote); a one-sentence
    # overview is asked what the document is about (conversation.document/7)
    # 26: a wire's all-caps headline ("SOCCER - IRISH ERASE ...") in sentence case wherever a title is
    # shown (suggest_title 4, a conversation's system prompt, a summary's title); a weekday in a clause
    # that looks ahead ("will vote on Wednesday") is the next one, a named day ("Super Tuesday") no date;
    # the lead's descriptions introduce; qa.dependency/4; a year naming a thing is no event date
    # 27: a web page's timestamp run into the lead ("Updated 9:06 AM A woman ...") is furniture
    # 28: the lead's definite descriptions introduce (summary lead_needs); a predicative description points at
    # nobody; a quotation a summary sentence opens after its speaker is closed (standalone.close_quote)
    # 29: an opening description gets its one name; "FEB. 2, 2009" is a page timestamp too
    # 30: page timestamps with an ordinal day, a bar, a zone ("August 2nd, 2013 at 5:19 pm", "| 08:06AM PT",
    # "19:04 IST") and a blog's "On behalf of ... posted in ... on <date>." are furniture; qa.dependency/5 (a name keeps its capital, no emphatic did, where for a hospital); "early
    # Tuesday morning" cut whole; no question ending in a cut abbreviation ("10:30 a. m?")
    "document_examples": "30",  # 12: a flattened results table is no prose (common.results_list)
}
STAGE_SETTINGS: dict[str, tuple[str, ...]] = {
    "raw_document": ("extract.max_bytes",),
    "document_text": ("extract",),
    "document_chunks": ("chunk",),
    "document_mentions": ("nlp.spacy_model", "nlp.gazetteer", "nlp.coref"),
    "document_relations": (),
    "chunk_embeddings": ("nlp.embedding_model", "nlp.embedding_precision", "nlp.mention_vectors"),
    "document_examples": (
        "seed",
        "generate",
        "nlp.embedding_model",  # summaries rank sentences with the embedder
        "nlp.embedding_precision",
        "quality.pii_strategy",  # without_pii keeps contact identifiers out of generated text
        "quality.pii_types",
    ),
}
STAGE_INPUTS: dict[str, tuple[str, ...]] = {  # the assets' deps (a test keeps them equal)
    "raw_document": (),
    "document_text": ("raw_document",),
    "document_chunks": ("document_text",),
    "document_mentions": ("document_chunks",),
    "document_relations": ("document_mentions",),
    "chunk_embeddings": ("document_chunks", "document_mentions"),
    "document_examples": ("document_text", "document_chunks", "document_mentions", "document_relations"),
}


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=list).encode()).hexdigest()[:16]


def _setting(config: DataforgeConfig, path: str) -> Any:
    value: Any = config
    for part in path.split("."):
        value = getattr(value, part)
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value


def stage_code_version(stage: str, config: DataforgeConfig) -> str:
    """The stage's own code version and settings (Dagster's ``code_version`` of the asset)."""
    settings = {path: _setting(config, path) for path in STAGE_SETTINGS[stage]}
    return f"{STAGE_CODE_VERSIONS[stage]}-{_digest(settings)}"


def stage_fingerprint(stage: str, config: DataforgeConfig) -> str:
    """Own code version plus the inputs' fingerprints: equal means the stored output is current."""
    inputs = {name: stage_fingerprint(name, config) for name in STAGE_INPUTS[stage]}
    return _digest({"stage": stage, "code": stage_code_version(stage, config), "inputs": inputs})


def fingerprint_key(doc_id: str) -> str:
    return f"silver/_fingerprints/{doc_id}.json"


def stored_fingerprints(lake: Lake, doc_id: str) -> dict[str, str]:
    """Stage -> fingerprint of the configuration that made its stored output for ``doc_id``."""
    key = fingerprint_key(doc_id)
    return lake.read_json(key) if lake.exists(key) else {}


def record_fingerprints(lake: Lake, stage: str, doc_ids: Iterable[str], config: DataforgeConfig) -> None:
    current = stage_fingerprint(stage, config)
    for doc_id in doc_ids:
        lake.write_json(fingerprint_key(doc_id), {**stored_fingerprints(lake, doc_id), stage: current})


def stale_stages(lake: Lake, doc_id: str, config: DataforgeConfig) -> tuple[str, ...]:
    """The stages whose stored output for ``doc_id`` was not made under ``config`` (pipeline order)."""
    stored = stored_fingerprints(lake, doc_id)
    return tuple(name for name, _ in DOCUMENT_STAGES if stored.get(name) != stage_fingerprint(name, config))


def plan_documents(lake: Lake, doc_ids: Iterable[str], config: DataforgeConfig) -> dict[tuple[str, ...], list[str]]:
    """Stages to run -> the documents that need exactly those; current and quarantined ones left out."""
    plan: dict[tuple[str, ...], list[str]] = {}
    for doc_id in doc_ids:
        stale = stale_stages(lake, doc_id, config)
        if stale and not is_quarantined(lake, doc_id):
            plan.setdefault(stale, []).append(doc_id)
    return plan


def run_stage(
    stage: str, lake: Lake, doc_ids: Iterable[str], config: DataforgeConfig, log: Log | None = None
) -> BatchReport:
    """Run one per-document stage and record, for every document it finished, what made the output."""
    report = dict(DOCUMENT_STAGES)[stage](lake, doc_ids, config, log)
    record_fingerprints(lake, stage, report.done, config)
    return report
