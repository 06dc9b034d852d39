"""The lead passage: a document summary that is always in context.

When too few sentences of a document read on their own for a selection (an opinion piece in
the first person, a match report made of quotes), its opening passage still summarizes it:
the first sentence that reads on its own and the sentences right after it, in order, so each
one follows the sentence it leans on. The passage is prose only (no list item, table row,
disclaimer or caption run-on), its quotations are closed and it speaks in no first or second
person outside them. A document without such a passage (a list, a table, a timeline memo
whose only prose is about the memo itself) gets no summary.
"""

from __future__ import annotations

from dataforge.lib.generate.common import is_prose
from dataforge.lib.generate.section_gate import markup_sentence
from dataforge.lib.generate.standalone import (
    boilerplate,
    first_person,
    glued,
    imperative,
    list_item,
    standalone,
    tabular,
    unbalanced_quote,
)

LEAD_SEARCH_SHARE = 0.34  # the passage opens within the first third of the sentences
LEAD_MIN_WORDS = 20  # a shorter passage says too little to be a summary


def _in_passage(text: str, doc_text: str, start: int) -> bool:
    """May the sentence continue a passage (right after its predecessor)?"""
    return (
        is_prose(text)
        and not boilerplate(text)
        and not list_item(text, doc_text, start)
        and not tabular(text)
        and not glued(text)
        and not imperative(text)
    )


def lead_passage(texts: list[str], starts: list[int], doc_text: str, budget: int, max_words: int = 80) -> list[int]:
    """Indices of the lead passage nearest ``budget`` words (see the module docstring); [] if none."""
    limit = max(1, int(len(texts) * LEAD_SEARCH_SHARE) + 1)
    for first in range(min(limit, len(texts))):
        text = texts[first]
        if not (4 <= len(text.split()) <= max_words and standalone(text, doc_text, starts[first])):
            continue
        if markup_sentence(text) or imperative(text):
            continue  # form text, a citation, an author block: no passage opens there
        chosen, total = [first], len(text.split())
        for j in range(first + 1, len(texts)):
            words = len(texts[j].split())
            if (
                markup_sentence(texts[j])
                or not _in_passage(texts[j], doc_text, starts[j])
                or abs(total + words - budget) >= abs(total - budget)
            ):
                break
            chosen.append(j)
            total += words
        while chosen:  # end on a sentence that closes every quotation, in no first person outside them
            passage = " ".join(texts[i] for i in chosen)
            if not unbalanced_quote(passage) and not first_person(passage):
                break
            chosen.pop()
        if chosen and sum(len(texts[i].split()) for i in chosen) >= LEAD_MIN_WORDS:
            return chosen
    return []
