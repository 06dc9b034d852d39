from dataforge.lib.link import initials, normalize_name, resolve


def mention(doc: str, i: int, text: str, label: str, start: int = 0) -> dict:
    return {"mention_id": f"{doc}:m{i}", "doc_id": doc, "text": text, "label": label, "start": start}


def clusters_of(result: dict) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for mention_id, cluster in result["assignments"].items():
        groups.setdefault(cluster, set()).add(mention_id)
    return groups


def same(result: dict, a: str, b: str) -> bool:
    return result["assignments"][a] == result["assignments"][b]


def test_normalization() -> None:
    assert normalize_name("The NREC's") == "nrec"
    assert normalize_name("Société Générale") == "societe generale"
    assert initials("northwind renewable energy corporation") == "nrec"
    assert initials("bank of new england") == "bne"


def test_same_name_across_documents_is_one_cluster() -> None:
    result = resolve([mention("a", 1, "Helena Marsh", "PERSON"), mention("b", 1, "Helena Marsh", "PERSON")])
    assert same(result, "a:m1", "b:m1")
    entity = result["entities"][0]
    assert entity["doc_count"] == 2 and entity["canonical_name"] == "Helena Marsh"


def test_acronym_and_short_forms_join_their_long_form() -> None:
    result = resolve(
        [
            mention("a", 1, "Northwind Renewable Energy Corporation", "ORG", 0),
            mention("b", 1, "NREC", "ORG", 0),
            mention("c", 1, "Helena Marsh", "PERSON", 0),
            mention("c", 2, "Marsh", "ORG", 50),  # spaCy's label for a bare surname varies
            mention("d", 1, "Marsh", "PERSON", 0),
        ],
        vote_labels=True,
    )
    assert same(result, "a:m1", "b:m1")
    assert same(result, "c:m1", "c:m2")
    assert same(result, "c:m1", "d:m1")
    rules = {e["rule"] for e in result["evidence"]}
    assert {"acronym", "short_form"} <= rules
    canonical = {e["canonical_name"] for e in result["entities"]}
    assert "Northwind Renewable Energy Corporation" in canonical


def test_explicit_alias_merges() -> None:
    result = resolve(
        [mention("a", 1, "Halden Marine Power AS", "ORG"), mention("a", 2, "HMP", "ORG", 30)],
        aliases=[("a:m1", "a:m2")],
    )
    assert same(result, "a:m1", "a:m2")


def test_chaining_guard_keeps_two_people_with_one_surname_apart() -> None:
    result = resolve(
        [
            mention("a", 1, "John Smith", "PERSON"),
            mention("b", 1, "Jane Smith", "PERSON"),
            mention("c", 1, "Smith", "PERSON"),
        ]
    )
    assert not same(result, "a:m1", "b:m1")
    # the ambiguous surname joins neither across documents
    assert len(clusters_of(result)) == 3


def test_different_labels_never_merge() -> None:
    result = resolve(
        [mention("a", 1, "Jordan", "PERSON"), mention("b", 1, "Jordan", "GPE"), mention("b", 2, "Jordan", "GPE")]
    )
    assert not same(result, "a:m1", "b:m1")


def test_label_voting_fixes_spacy_label_noise_when_asked() -> None:
    mentions = [
        mention("a", 1, "Halloran Blue", "ORG"),
        mention("b", 1, "Halloran Blue", "ORG"),
        mention("c", 1, "Halloran Blue", "PERSON"),
    ]
    assert same(resolve(mentions, vote_labels=True), "a:m1", "c:m1")
    assert not same(resolve(mentions), "a:m1", "c:m1")


def test_legal_form_suffixes_do_not_split_organizations() -> None:
    result = resolve([mention("a", 1, "Tidewater Holdings Ltd", "ORG"), mention("b", 1, "Tidewater Holdings", "ORG")])
    assert same(result, "a:m1", "b:m1")
