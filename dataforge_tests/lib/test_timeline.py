import pytest

from dataforge.lib.timeline import extract_events, normalize_date, order_events


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14 March 2023", "2023-03-14"),
        ("March 14, 2023", "2023-03-14"),
        ("the 3rd of June 2021", "2021-06-03"),
        ("June 2021", "2021-06"),
        ("Sept. 2019", "2019-09"),
        ("2019", "2019"),
        ("Q3 2022", "2022-07"),
        ("2024-02-05", "2024-02-05"),
        ("last year", "2022"),
        ("yesterday", None),
    ],
)
def test_normalize_date(text: str, expected: str | None) -> None:
    assert normalize_date(text, reference="2023-05-01") == expected


def test_events_are_ordered_and_carry_participants() -> None:
    text = "NREC was founded in 2015. Marsh joined NREC on 1 May 2019."
    mentions = [
        {
            "mention_id": "m1",
            "text": "NREC",
            "label": "ORG",
            "start": 0,
            "end": 4,
            "sentence_id": 0,
            "sentence_start": 0,
            "sentence_end": 25,
        },
        {
            "mention_id": "m2",
            "text": "2015",
            "label": "DATE",
            "start": 20,
            "end": 24,
            "sentence_id": 0,
            "sentence_start": 0,
            "sentence_end": 25,
        },
        {
            "mention_id": "m3",
            "text": "Marsh",
            "label": "PERSON",
            "start": 26,
            "end": 31,
            "sentence_id": 1,
            "sentence_start": 26,
            "sentence_end": 58,
        },
        {
            "mention_id": "m4",
            "text": "1 May 2019",
            "label": "DATE",
            "start": 47,
            "end": 57,
            "sentence_id": 1,
            "sentence_start": 26,
            "sentence_end": 58,
        },
    ]
    events = order_events(extract_events("d", text, mentions, {"m1": "e1", "m3": "e2"}, None)[::-1])
    assert [e["date"] for e in events] == ["2015", "2019-05-01"]
    assert events[0]["sentence"] == "NREC was founded in 2015."
    assert events[1]["cluster_ids"] == ["e2"]
