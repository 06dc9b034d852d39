"""Within-document coreference: rules over mention lists (rules.py), mentions from parses (parses.py)."""

from dataforge.lib.coref.parses import coref_mentions, find_coref_mentions
from dataforge.lib.coref.rules import TYPE_NOUNS, link_within_document
from dataforge.lib.schemas import COREF_MENTIONS

__all__ = ["COREF_MENTIONS", "TYPE_NOUNS", "coref_mentions", "find_coref_mentions", "link_within_document"]
