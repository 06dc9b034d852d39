"""Instruction tasks over one document; the phrasing library is shared with corpus tasks.

Every task has 3+ phrasings; the phrasing is chosen by a string-seeded generator so the
same inputs always give the same instruction.
"""

from __future__ import annotations

import re
from typing import Any

from dataforge.lib.config import DataforgeConfig
from dataforge.lib.generate.common import DocContext, make_example, mention_sentence, rng, span, terms
from dataforge.lib.generate.standalone import clean_sentence, is_event
from dataforge.lib.generate.titles import readable_title
from dataforge.lib.quality.signals import cross_kind_duplicates

MIN_TIMELINE = 3  # dated events a timeline lists at least
MAX_TITLE_WORDS = 20
TITLE_SEARCH_CHARS = 600  # a title stands in the first lines of its document
MAX_DOCUMENT_INPUT_CHARS = 12000  # longer documents get chunk-level date lists instead
LABEL_DESC = {
    "PERSON": "a person",
    "ORG": "an organization",
    "GPE": "a country, city or state",
    "LOC": "a location",
    "NORP": "a nationality, religious or political group",
    "FAC": "a facility",
    "PRODUCT": "a product",
    "EVENT": "an event",
    "WORK_OF_ART": "a work of art",
    "LAW": "a law",
    "LANGUAGE": "a language",
    "DATE": "a date",
    "TIME": "a time",
    "MONEY": "an amount of money",
    "PERCENT": "a percentage",
    "QUANTITY": "a quantity",
    "CARDINAL": "a number",
    "ORDINAL": "an ordinal",
}
LABEL_PLURAL = {  # what to list, and what one item is called ("Extract every person name ...")
    "PERSON": ("people", "person name"),
    "ORG": ("organizations", "organization name"),
    "GPE": ("countries, cities and states", "place name"),
    "LOC": ("locations", "location name"),
    "FAC": ("facilities", "facility name"),
    # "Dutch", "Muslims", "Republicans": nationalities and groups of faith or politics, no "group names"
    "NORP": ("nationalities, religious or political groups", "nationality, religious or political group"),
    "PRODUCT": ("products", "product name"),
    "EVENT": ("events", "event name"),
    "LAW": ("laws", "law name"),
    "WORK_OF_ART": ("works", "work name"),
}
PHRASINGS: dict[str, list[str]] = {
    "extract_entities": [  # names only: dates and numbers are not listed, and the wording says so
        "Extract all named entities (proper names, not dates or numbers) from the text and give the type of each.",
        "List every proper name mentioned in the passage (people, organizations, places and the like) with its "
        "entity type.",
        "Identify the people, organizations, places and other named entities in the text below, with their types. "
        "Leave out dates and numbers.",
    ],
    "extract_relations": [
        "Extract every relation of the listed types that the text states, as (head, relation, tail) triples "
        "with full entity names.",
        "List all relationships of the given types between the entities in this sentence as (head, relation, "
        "tail) triples.",
        "Which entities in the text are related by one of the listed relation types? Answer with every "
        "(head, relation, tail) triple the text states.",
    ],
    "summarize": [
        "Summarize the following document in {n} sentences.",
        "Write a short summary of the text below.",
        "Give the key points of this document in a few sentences.",
    ],
    "answer_from_context": [  # the LLM tasks' phrasing (an extractive pair is a QA row, not an instruction)
        "Answer the question using only the context.",
        "Read the passage and answer the question with a short span from it.",
        "Using the text provided, answer the question below.",
    ],
    "list_entities_of_type": [
        "List the {what} mentioned in the text.",
        "Which {what} does the passage mention? Give one per line.",
        "Extract every {what_short} from the text below.",
    ],
    "explain_relation": [
        "How are {a} and {b} related, according to the text?",
        "What does the passage say connects {a} and {b}?",
        "Explain the relationship between {a} and {b} stated in the text.",
    ],
    "list_dates": [
        "List the dated events in the text in chronological order, with their dates.",
        "Put the events described in the passage in chronological order, giving the date of each.",
        "Build a short timeline from the text: each date and the event it belongs to.",
    ],
    "classify_entities": [
        "Classify each of these names from the text by entity type.",
        "For each entity below, say what kind of entity it is according to the text.",
        "Give the entity type (person, organization, place, ...) of each name listed.",
    ],
    "suggest_title": [
        "Suggest a title for this document.",
        "What would be a good title for the following text?",
        "Give this text a short, descriptive title.",
    ],
    "entity_profile": [
        "Write a short profile of {a} based on the documents.",
        "In a short paragraph, describe {a} using what the documents say.",
        "What do the documents tell us about {a}? Answer in a few sentences.",
    ],
    "timeline_first": [  # both dates are given: the skill is the reckoning, so the gap is asked too
        "Which happened first, and how long before the other?",
        "Of the two events below, which one came earlier, and by how much?",
        "Look at these two events: say which took place first and how much time passed before the other.",
    ],
    "timeline_first_undated_gap": [  # a date without its month: the gap cannot be stated, so not asked
        "Which of these two events happened first?",
        "Of the two events below, which one came earlier?",
        "Look at these two events and say which took place first.",
    ],
    "timeline_order": [
        "Put these events in chronological order.",
        "Order the following events from earliest to latest.",
        "Arrange the events below in the order they happened.",
    ],
    "multiple_choice": [  # the passage is the input: no closed-book question about an unseen article
        "According to the text, {q_lower} Choose one of the options.",
        "Read the text and answer the multiple-choice question: {q}",
        "{q} Pick the correct option, using the text.",
    ],
    "yes_no": [
        "Answer yes or no, according to the text: {q}",
        "{q} Answer with yes or no from the text.",
        "Based on the text, {q_lower}",
    ],
}


# 2: timeline_first asks for the gap and lists no document id; explain_relation quotes the linking
# words of a standalone sentence; entity lists drop plurals of a listed name; a multiple-choice role
# question keeps the evidence's tense; titles lose a wire's "-radio". 3: no markup after the evidence,
# a heading that repeats the title is out of the input, no year-only gap in years. 4: where no gap
# can be stated (a date without its month) the instruction does not ask for one. yes_no 2: the
# evidence is the input and a "no" names someone of the same story. multiple_choice 4: the evidence
# is the input too, before the options (a closed-book question about a news detail taught nothing).
# suggest_title 4: a wire's all-caps headline is answered in sentence case, without its section tag, and a
# site after a bar whose first word opens the source name is cut ("... | Harper's Magazine").
# timeline_first 5, timeline_order 3: a year naming a thing ("the 1988 bombing") or a judgement ("1838 was
# considered a good year") is no event date. multiple_choice 5: no photo credit ("A/B") as an option
TASK_VERSIONS = dict.fromkeys(
    (
        "timeline_first",
        "timeline_order",
        "explain_relation",
        "list_entities_of_type",
        "multiple_choice",
        "suggest_title",
    ),
    2,
) | {"yes_no": 2, "multiple_choice": 5, "suggest_title": 4, "timeline_first": 5, "timeline_order": 3}


def phrase(task: str, seed: Any, *key: Any, **fmt: str) -> tuple[str, int]:
    options = PHRASINGS[task]
    i = rng(seed, "phrasing", task, *key).randrange(len(options))
    return options[i].format(**fmt), i


def instruction_example(
    task: str,
    instruction: str,
    phrasing: int,
    input_text: str,
    output: str,
    spans: list[dict[str, Any]],
    scope: str,
    chunk_id: int | None = None,
    entity: str | None = None,
    n_items: int = 0,
) -> dict[str, Any]:
    record = {
        "instruction": instruction,
        "input": input_text,
        "output": output,
        "metadata": {
            "task": task,
            "scope": scope,
            "chunk_id": chunk_id,
            "entity": entity,
            "phrasing": int(phrasing),
            "n_items": int(n_items),
        },
    }
    return make_example("instruction", f"instruction.{task}/{TASK_VERSIONS.get(task, 1)}", record, spans)


def date_key(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) from free text or ISO dates; None without a year."""
    year = re.search(r"\b(1[5-9]\d\d|20\d\d|21\d\d)\b", text)
    if not year:
        return None
    iso = re.search(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b", text)
    if iso:
        return int(iso.group(1)), int(iso.group(2)), int(iso.group(3) or 0)
    months = "jan feb mar apr may jun jul aug sep oct nov dec".split()
    mm = re.search(r"\b(" + "|".join(months) + r")[a-z]*\.?\b", text.lower())
    month = months.index(mm.group(1)) + 1 if mm else 0
    day = re.search(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b(?!\d)", text.replace(year.group(1), ""))
    d = int(day.group(1)) if (day and month and 1 <= int(day.group(1)) <= 31) else 0
    return int(year.group(1)), month, d


def _sentences_about(ctx: DocContext, name: str) -> list[tuple[int, int]]:
    found = {mention_sentence(ctx, m) for m in ctx.mentions if m["text"] == name}
    return sorted(s for s in found if s)


def _join_sents(ctx: DocContext, sents: list[tuple[int, int]]) -> str:
    return " ".join(re.sub(r"\s+", " ", ctx.text[s:e]).strip() for s, e in sents)


def _chunk_tasks(ctx: DocContext, chunk: dict[str, Any]) -> list[dict]:
    """Per-chunk tasks left here: the chunk's timeline (entity and relation tasks live in
    ``entity_tasks`` and ``relation_tasks``, over windows they can get complete)."""
    cid = int(chunk["chunk_id"])
    cspan = [span(ctx.doc_id, chunk["start"], chunk["end"])]
    inside = ctx.mentions_within(chunk["start"], chunk["end"])
    return list(_list_dates(ctx, inside, chunk["text"], cspan, cid))


def _list_dates(
    ctx: DocContext, mentions: list[dict], input_text: str, spans: list[dict], chunk_id: int | None
) -> list[dict]:
    """A timeline of the input, only where it is complete: every dated sentence is an event a
    reader can place (``is_event``: no plan, range or second date), and there are at least
    MIN_TIMELINE of them on different dates."""
    dated = []
    for m in mentions:
        sent = mention_sentence(ctx, m) if m["label"] == "DATE" else None
        if sent is None:
            continue
        key = date_key(m["text"])
        if key is None or not is_event(ctx.text[sent[0] : sent[1]], ctx.text, sent[0], m["start"], m["end"]):
            return []  # a dated sentence that is no event: a list without it would be incomplete
        if sum(1 for o in mentions if o["label"] == "DATE" and sent[0] <= o["start"] < sent[1]) != 1:
            return []
        dated.append((key, m, sent))
    if len({k for k, _, _ in dated}) < MIN_TIMELINE:
        return []
    text, i = phrase("list_dates", ctx.seed, ctx.doc_id, chunk_id)
    dated.sort(key=lambda kms: (kms[0], kms[1]["start"]))
    lines = [f"- {m['text']}: {clean_sentence(ctx.text[s:e])}" for _, m, (s, e) in dated]
    scope = "document" if chunk_id is None else "chunk"
    return [
        instruction_example(
            "list_dates", text, i, input_text, "\n".join(lines), spans, scope, chunk_id, None, len(lines)
        )
    ]


_SITE_SUFFIX = re.compile(r"^(?P<title>.+?\w.*?)\s+[-|–—·]\s+(?P<site>[^-|–—·]{2,40})$")


def without_site_name(title: str, source: str) -> str:
    """The title without a trailing site name ("Peanut Butter Truffles - Elavegan"): a suffix of at
    most four words after a dash or bar, when at least two words stand before it and the suffix
    names the site the document came from (the source name starts with it, as the
    "elavegan-com-..." of a saved page does). A subtitle ("Dr. Amara Okafor - Biography") stays."""
    m = _SITE_SUFFIX.match(title.strip())
    if m is None or len(m["site"].split()) > 4 or len(m["title"].split()) < 2:
        return title.strip()
    site = re.sub(r"^the\s+", "", m["site"].strip().lower())
    squashed, where = re.sub(r"[^a-z0-9]", "", site), re.sub(r"[^a-z0-9]", "", source.lower())
    first = re.sub(r"[^a-z0-9]", "", site.split()[0]) if site.split() else ""
    # "... | Harper's Magazine" of "harpers.org.justice": the site's first word opens the source name
    named = where.startswith(squashed) or (title.count("|") == 1 and "|" in title[m.end("title") :] and len(first) >= 5
                                           and where.startswith(first))  # fmt: skip
    return m["title"].strip() if len(squashed) >= 4 and named else title.strip()


# a wire headline's source glued on with a dash, in lower case: "... restaurant blast-radio", "... - paper"
_ATTRIBUTION = re.compile(
    r"(?<=\w)\s*[-–—]\s*(?:[a-z]+\s+)?(?:radio|tv|television|paper|papers|newspaper|newspapers|agency|report"
    r"|reports|sources?|officials?|police|ministry|minister|spokesman|witnesses|diplomats?|daily|magazine"
    r"|statement|poll|media|army|state media|analysts?|traders?|dealers?)\s*$"
)


def without_attribution(title: str) -> str:
    """The headline without the source a wire service appends in lower case ("Two die in blast-radio")."""
    return _ATTRIBUTION.sub("", title).strip()


def without_title(text: str, title: str) -> str | None:
    """The document with its title line taken out (the input must not give the answer away);
    None when the title is a sentence or the body is too short to need a title."""
    words = re.findall(r"\w+", title)
    if not words or title.endswith((".", "?", "!")):
        return None
    label = r"(?:(?:subject|title|re|headline)\s*:\s*(?:\*\*|__)?\s*)?"  # "Subject: Key dates in ..."
    pattern = re.compile(r"(?mi)^[#\s*]*" + label + r"\W+".join(map(re.escape, words)) + r"\W*?$\n?")
    m = pattern.search(text, 0, TITLE_SEARCH_CHARS + len(title))
    body = text.strip() if m is None else (text[: m.start()] + text[m.end() :]).strip()
    heading = re.match(r"#{1,6}[ \t]+(?P<words>[^\n]+)\n?", body)
    if heading is not None and _shares_words(heading["words"], title):
        body = body[heading.end() :].strip()  # "# Minutes of the Meeting of the Board" gives the title away
    return body if len(body.split()) >= 50 else None


def _shares_words(heading: str, title: str) -> bool:
    """Half of the heading's content words stand in the title: the heading is a version of it."""
    own = set(terms(heading))
    return bool(own) and len(own & set(terms(title))) >= len(own) / 2


def generate(ctx: DocContext, config: DataforgeConfig, qa: list[dict], summaries: list[dict]) -> list[dict[str, Any]]:
    from dataforge.lib.generate import entity_tasks  # it builds on this module's phrasings

    out: list[dict[str, Any]] = []
    for chunk in ctx.chunks:
        out.extend(_chunk_tasks(ctx, chunk))
    out.extend(entity_tasks.generate(ctx))  # entity lists over windows whose every name is confident
    title = " ".join(ctx.title.split())
    body = without_title(ctx.text, title)
    title = without_site_name(title, ctx.doc_id)  # the answer names the document, not the site it came from
    title = readable_title(without_attribution(title), ctx.text, ctx.mentions, ctx.lower_words)
    if body is not None and title != ctx.doc_id and 2 <= len(title.split()) <= MAX_TITLE_WORDS and ctx.sentences:
        text, i = phrase("suggest_title", ctx.seed, ctx.doc_id)
        spans = [span(ctx.doc_id, ctx.sentences[0][0], ctx.sentences[-1][1])]
        out.append(instruction_example("suggest_title", text, i, body, title, spans, "document", None, None, 1))
    # one chunk: listed above; no body sentence at all (a results table): nothing to list dates from
    if len(ctx.text) <= MAX_DOCUMENT_INPUT_CHARS and len(ctx.chunks) > 1 and ctx.sentences:
        whole = [span(ctx.doc_id, ctx.sentences[0][0], ctx.sentences[-1][1])]
        out.extend(_list_dates(ctx, ctx.mentions, ctx.text, whole, None))
    # no example is shipped twice under two kinds: an instruction that repeats a QA row or a summary goes
    twice = set(cross_kind_duplicates(qa + summaries + out))
    return [e for e in out if e["id"] not in twice]
