import pytest

from dataforge.lib.timeline import date_conflicts, extract_events, normalize_date, normalize_time, order_events


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
        ("yesterday", "2023-04-30"),
        ("on Tuesday", "2023-04-25"),
        ("two years ago", "2021"),
        ("last month", "2023-04"),
        ("a week ago", "2023-04-24"),
        ("recently", None),
    ],
)
def test_normalize_date(text: str, expected: str | None) -> None:
    assert normalize_date(text, reference="2023-05-01") == expected


def test_relative_dates_need_a_precise_enough_document_date() -> None:
    assert normalize_date("yesterday", "2023") is None
    assert normalize_date("last year", "2023") == "2022"
    assert normalize_date("yesterday") is None


def test_clock_times_join_their_day() -> None:
    assert normalize_time("06:40 local time", "2023-09-21") == "2023-09-21T06:40"
    assert normalize_time("6.40 p.m.", "2023-09-21") == "2023-09-21T18:40"
    assert normalize_time("06:40", "2023-09") is None


def _m(mention_id: str, text: str, label: str, start: int, sentence: tuple[int, int, int]) -> dict:
    return {
        "mention_id": mention_id,
        "text": text,
        "label": label,
        "start": start,
        "end": start + len(text),
        "sentence_id": sentence[0],
        "sentence_start": sentence[1],
        "sentence_end": sentence[2],
    }


def test_conflicting_dates_of_one_relation_across_documents() -> None:
    a = "NREC was founded by Marsh in 2015."
    b = "Marsh founded NREC in 2016. In 2018 Lindqvist joined."
    events, relations = [], []
    for doc, text, founder, company, year in (("a", a, 20, 0, 29), ("b", b, 0, 14, 22)):
        sentence = (0, 0, text.index(".") + 1)
        mentions = [
            _m(f"{doc}1", "Marsh", "PERSON", founder, sentence),
            _m(f"{doc}2", "NREC", "ORG", company, sentence),
            _m(f"{doc}3", text[year : year + 4], "DATE", year, sentence),
        ]
        events += extract_events(doc, text, mentions, {f"{doc}1": "marsh", f"{doc}2": "nrec"}, None)
        relations.append(
            {
                "doc_id": doc,
                "kind": "typed",
                "head_mention_id": f"{doc}1",
                "tail_mention_id": f"{doc}2",
                "relation": "founded_by",
                "predicate": "found",
                "evidence_start": 0,
                "head_start": founder,
                "tail_start": company,
            }
        )
    assignments = {"a1": "marsh", "a2": "nrec", "b1": "marsh", "b2": "nrec"}
    [conflict] = date_conflicts(events, relations, assignments)
    assert conflict["relation"] == "founded_by" and conflict["dates"] == {"2015": ["a"], "2016": ["b"]}
    events[1]["date"] = "2015-05"  # a finer date that agrees is no conflict
    assert date_conflicts(events, relations, assignments) == []


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
