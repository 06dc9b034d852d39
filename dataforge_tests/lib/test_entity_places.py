"""Places told from people by how the text uses them, and spans cut where two names ran together."""

from dataforge.lib.entity_types import resolve_types
from dataforge.lib.nlp import mention_placer
from dataforge.lib.span_cuts import split_merged
from dataforge_tests.lib.test_entity_types import labels, tagged


def _typed(text: str, *tags: tuple[str, str, int]) -> dict[str, set[str]]:
    place = mention_placer("d", [(0, len(text))], [{"start": 0, "end": len(text), "sentences": []}])
    return labels(resolve_types(text, split_merged(text, tagged(text, *tags), place)))


def test_a_name_troops_took_and_reached_is_a_place_without_person_evidence() -> None:
    text = "Rebels fled as army units took Varzob on Monday. The town of Varzob lay in ruins. Aid reached Varzob later."
    tags = [("Varzob", "PERSON", k) for k in range(3)]
    assert _typed(text, *tags)["Varzob"] == {"GPE"}
    # a possessive name is no object of "take": "will take Enrique's men" takes the men
    text = "A win will take Lopera's men clear. Lopera has stressed patience."
    assert _typed(text, ("Lopera", "PERSON", 0), ("Lopera", "PERSON", 1))["Lopera"] == {"PERSON"}
    # a first name is person evidence: the same contexts leave a person a person
    text = "Police took Jonas Olsen to hospital. Medics reached Jonas Olsen in time; he recovered."
    assert _typed(text, ("Jonas Olsen", "PERSON", 0), ("Jonas Olsen", "PERSON", 1))["Jonas Olsen"] == {"PERSON"}


def test_a_byline_run_into_a_dateline_is_cut_and_the_dateline_names_a_place() -> None:
    text = "Anna Kovac KORBIN, Ruritania 2001-05-04 Troops entered the town at dawn. Korbin, 50 km away, was quiet."
    typed = _typed(text, ("Anna Kovac KORBIN", "PERSON", 0), ("Korbin", "PERSON", 0))
    assert typed == {"Anna Kovac": {"PERSON"}, "KORBIN": {"GPE"}, "Korbin": {"GPE"}}


def test_a_former_state_is_a_gpe_though_union_is_an_organization_word() -> None:
    text = "Trade ties broke with the collapse of the Soviet Union. Yugoslavia split soon after."
    typed = _typed(text, ("Soviet Union", "ORG", 0), ("Yugoslavia", "ORG", 0))
    assert typed == {"Soviet Union": {"GPE"}, "Yugoslavia": {"GPE"}}


def test_a_business_named_by_a_common_head_noun_is_no_person() -> None:
    text = "Brooklyn-based Glow Kitchen says its dumplings sell out. Glow Kitchen opened in 2019."
    assert _typed(text, ("Glow Kitchen", "PERSON", 0), ("Glow Kitchen", "PERSON", 1))["Glow Kitchen"] == {"ORG"}
    text = "Michael Kitchen says the play runs long."
    assert _typed(text, ("Michael Kitchen", "PERSON", 0))["Michael Kitchen"] == {"PERSON"}


def test_a_one_word_player_run_into_a_full_name_is_split() -> None:
    text = (
        "Coach Lenz will start Koke on Sunday. Koke is fit again. Beside team-mate Koke Marco Reus (left) "
        "is set to play. Reus scored twice."
    )
    tags = [("Koke", "PERSON", 0), ("Koke", "PERSON", 1), ("Koke Marco Reus", "PERSON", 0), ("Reus", "PERSON", 0)]
    assert _typed(text, *tags) == {"Koke": {"PERSON"}, "Marco Reus": {"PERSON"}, "Reus": {"PERSON"}}


def test_a_place_does_not_take_the_first_word_of_the_next_noun_phrase() -> None:
    text = "Shops in Perth, Brisbane and Adelaide City stores open at 9am."
    typed = _typed(text, ("Perth", "GPE", 0), ("Brisbane", "GPE", 0), ("Adelaide City", "GPE", 0))
    assert set(typed) == {"Perth", "Brisbane", "Adelaide"}
    text = "Harbour City stores open late; the Darwin City stores open at 9am."
    assert set(_typed(text, ("Darwin City", "GPE", 0))) == {"Darwin"}
    # a place whose whole name is known keeps its place word
    text = "Police in Kansas City said the Kansas City police chief resigned."
    assert set(_typed(text, ("Kansas City", "GPE", 0), ("Kansas City", "GPE", 1))) == {"Kansas City"}


def test_no_cut_after_an_article_and_a_team_keeps_its_organization_label() -> None:
    text = (
        "The dog swam at the Clarence J. Brown Dam and Reservoir on Sunday. Brown Dam is busy; the crowd "
        "watched the dam and the Reservoir."
    )
    place = mention_placer("d", [(0, len(text))], [{"start": 0, "end": len(text), "sentences": []}])
    mentions = tagged(text, ("the Clarence J. Brown Dam and Reservoir", "FAC", 0))
    assert [m["text"] for m in split_merged(text, mentions, place)] == ["the Clarence J. Brown Dam and Reservoir"]
    text = "Button drives for McLaren. McLaren were slow. He beat McLaren Fernando Alonso. Fernando Alonso was 18th."
    mentions = tagged(
        text, ("McLaren", "PERSON", 0), ("McLaren", "PERSON", 1), ("McLaren Fernando Alonso", "PERSON", 0)
    )
    split = split_merged(text, mentions, place)
    assert [(m["text"], m["label"]) for m in split][-2:] == [("McLaren", "ORG"), ("Fernando Alonso", "PERSON")]
