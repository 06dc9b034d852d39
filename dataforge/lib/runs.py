"""Grouping document partitions into batched runs."""

from __future__ import annotations

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def batch_ranges(ordered_keys: list[str], size: int, all_keys: list[str] | None = None) -> list[tuple[str, str, int]]:
    """``(first, last, count)`` ranges of at most ``size`` keys.

    ``all_keys`` is the partition order of the instance; a range must not swallow keys that
    are not in ``ordered_keys``, so a gap in the order starts a new range.
    """
    if not ordered_keys:
        return []
    position = {key: i for i, key in enumerate(all_keys)} if all_keys else {k: i for i, k in enumerate(ordered_keys)}
    wanted = sorted(set(ordered_keys), key=lambda k: position[k])
    ranges: list[tuple[str, str, int]] = []
    start = 0
    for i in range(1, len(wanted) + 1):
        gap = i < len(wanted) and position[wanted[i]] != position[wanted[i - 1]] + 1
        if i == len(wanted) or gap or i - start >= size:
            ranges.append((wanted[start], wanted[i - 1], i - start))
            start = i
    return ranges


def range_tags(first: str, last: str) -> dict[str, str]:
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}
