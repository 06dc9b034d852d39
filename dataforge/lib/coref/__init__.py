"""Within-document coreference: rules over mention lists (rules.py), mentions from parses (parses.py)."""

from dataforge.lib.coref.parses import COREF_MENTIONS, coref_mentions, find_coref_mentions
from dataforge.lib.coref.rules import TYPE_NOUNS, link_within_document

__all__ = ["COREF_MENTIONS", "TYPE_NOUNS", "coref_mentions", "find_coref_mentions", "link_within_document"]
