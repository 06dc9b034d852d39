"""Cross-document entity resolution: which mentions name the same thing, and why.

``resolve`` is the one resolver behind the ``entity_clusters`` asset and ``dataforge link``.
names.py parses surface forms, blocking.py picks the pairs worth comparing, scoring.py
scores them, cluster.py merges with guards against chaining, resolver.py runs the steps;
within-document coreference lives in ``dataforge.lib.coref``. Every merge is returned as
evidence: the rule, the two names and the scores that made it.
"""

from dataforge.lib.link.names import initials, is_acronym, normalize_name, org_key, parse_name
from dataforge.lib.link.resolver import resolve

__all__ = ["initials", "is_acronym", "normalize_name", "org_key", "parse_name", "resolve"]
