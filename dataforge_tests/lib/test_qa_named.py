"""Extractive questions name what they are about, ask no reported claim as fact, keep the
clause whole and answer with the full name the document gives.

Fixtures are invented sentences; the source parses are given by hand (spaCy ``Doc``), so the
rules are tested without the statistical model's guesses. The question-subject check parses
the question itself with the pipeline's model."""

from __future__ import annotations

from spacy.tokens import Doc

from dataforge.lib.assertion import assertion
from dataforge.lib.generate import depqa
from dataforge.lib.generate import question_check as qc
from dataforge.lib.generate.answer_check import answer_defect, full_names, fuller_name, headline_in
from dataforge_tests.lib.test_question_faithful import _VOCAB, parsed


def test_a_clause_cut_inside_a_phrase_gives_no_question():
    # "Kell is delighted that Benjamin, a doctor, was named": not "Who is delighted that Benjamin?"
    doc = parsed([("Kell", "Kell", "PROPN", "nsubj", 1), ("is", "be", "AUX", "ROOT", 1),
                  ("delighted", "delighted", "ADJ", "acomp", 1), ("that", "that", "SCONJ", "mark", 10),
                  ("Benjamin", "Benjamin", "PROPN", "nsubjpass", 10), (",", ",", "PUNCT", "punct", 4),
                  ("a", "a", "DET", "det", 7), ("doctor", "doctor", "NOUN", "appos", 4),
                  (",", ",", "PUNCT", "punct", 4),
                  ("was", "be", "AUX", "auxpass", 10), ("named", "name", "VERB", "ccomp", 2)])  # fmt: skip
    assert depqa._clause(doc[1], {0}, None) is None
    # a cut after a whole phrase still asks: "Kell is delighted, a spokesman said" -> "Who is delighted?"
    whole = parsed([("Kell", "Kell", "PROPN", "nsubj", 1), ("is", "be", "AUX", "ROOT", 1),
                    ("delighted", "delighted", "ADJ", "acomp", 1), (",", ",", "PUNCT", "punct", 1),
                    ("aides", "aide", "NOUN", "nsubj", 5), ("said", "say", "VERB", "parataxis", 1)])  # fmt: skip
    assert [t.text for t in depqa._clause(whole[1], {0}, None)] == ["delighted"]


def test_a_time_that_qualifies_a_superlative_is_no_event_time():
    # "The gala was the most watched show in 2014" is no "When was the gala?"
    doc = parsed([("Gala", "Gala", "PROPN", "nsubj", 1), ("was", "be", "AUX", "ROOT", 1),
                  ("the", "the", "DET", "det", 3), ("show", "show", "NOUN", "attr", 1),
                  ("in", "in", "ADP", "prep", 1), ("2014", "2014", "NUM", "pobj", 4)])  # fmt: skip
    assert depqa.source_defect(doc[1], doc[4], "pp", doc[0]) == "copular_qualifier"
    plain = parsed([("Gala", "Gala", "PROPN", "nsubj", 1), ("opened", "open", "VERB", "ROOT", 1),
                    ("in", "in", "ADP", "prep", 1), ("2014", "2014", "NUM", "pobj", 2)])  # fmt: skip
    assert depqa.source_defect(plain[1], plain[2], "pp", plain[0]) is None


def _claimed(token) -> bool:
    return assertion(token) == ("affirmative", "claimed")


def test_a_reported_or_alleged_clause_is_no_fact():
    # "Perry claimed to pupils that Ilse is a Quaker": Perry's claim, not "Who is a Quaker?"
    rows = [("Perry", "Perry", "PROPN", "nsubj", 1), ("claimed", "claim", "VERB", "ROOT", 1),
            ("pupils", "pupil", "NOUN", "dative", 1), ("that", "that", "SCONJ", "mark", 5),
            ("Ilse", "Ilse", "PROPN", "nsubj", 5), ("is", "be", "AUX", "ccomp", 1),
            ("a", "a", "DET", "det", 7), ("Quaker", "Quaker", "PROPN", "attr", 5)]  # fmt: skip
    assert _claimed(parsed(rows)[5])
    claimed_money = [*rows[:2], ("fees", "fee", "NOUN", "dobj", 1), *rows[3:]]  # "claimed fees after ..."
    assert not _claimed(parsed(claimed_money)[5])
    rows[1] = ("showed", "show", "VERB", "ROOT", 1)
    assert not _claimed(parsed(rows)[5])
    rows[1] = ("said", "say", "VERB", "ROOT", 1)  # plain attribution is how news states its facts
    assert not _claimed(parsed(rows)[5])
    assert not _claimed(parsed(rows)[1])


def test_a_question_whose_subject_names_no_one_is_refused():
    lower = frozenset("net profit completion the company".split())
    assert qc.unnamed_subject("When is completion of the Series C expected?", lower)
    assert qc.unnamed_subject("How much was Net profit for the January-June 1996 period?", lower)
    assert qc.unnamed_subject("When was the company founded in Oslo?", lower)
    assert not qc.unnamed_subject("When was Zorvex founded in Oslo?", lower)
    assert not qc.unnamed_subject("How much was Zorvex's net profit for 1996?", lower)
    assert not qc.unnamed_subject("When did she found Zorvex?", lower)  # the referents step resolves "she"
    # a bare common noun is fine when the question names what it is about
    assert not qc.unnamed_subject("When did police search Ilse Varga's home in Bethesda?", lower)


def _person(text: str, start: int) -> dict:
    return {"text": text, "label": "PERSON", "start": start, "end": start + len(text)}


def test_a_bare_surname_is_answered_with_the_full_name():
    text = "Claire Dubois runs Lemaire. Dubois expects a cut."
    full, bare = _person("Claire Dubois", 0), _person("Dubois", 28)
    assert fuller_name(bare, [full, bare], 0, len(text)) == full
    # the full name outside the range: a bare surname would be a partial answer (the generator widens the context)
    assert fuller_name(bare, [full, bare], 20, len(text)) is None
    assert fuller_name(bare, [bare], 20, len(text)) == bare  # no fuller name anywhere: the name as written
    assert fuller_name(full, [full, bare], 0, len(text)) == full
    # two people of one surname: the answer would be a guess
    other = _person("Anne Dubois", 60)
    assert fuller_name(bare, [full, bare, other], 0, 80) is None
    titled = _person("Dr. Claire Dubois", 70)
    assert fuller_name(bare, [full, bare, titled], 0, 90) == full
    # the shortest full name, cut from a longer span: not the nationality the NER took in
    text = "Colombian Claire Dubois won. Dubois smiled."
    wide, bare = _person("Colombian Claire Dubois", 0), _person("Dubois", 29)
    assert wide["text"] == text[0:23] and bare["text"] == text[29:35]
    answer = fuller_name(bare, [wide, full | {"start": 99, "end": 112}, bare], 0, len(text))
    assert answer is not None and text[answer["start"] : answer["end"]] == answer["text"] == "Claire Dubois"


def test_a_regnal_number_continues_the_name():
    text = "Emperor Charles VI signed the treaty."
    m = {"text": "Charles", "label": "PERSON", "start": 8, "end": 15}
    assert answer_defect(m, text, (0, len(text)), frozenset(), {}, sports=False) == "name_continues"


def test_an_auxiliary_the_parse_hung_elsewhere_is_not_lost():
    # "Vettel was forced to sit out qualifying" with "was" misattached: not "Who forced to sit out qualifying?"
    rows = [("Vettel", "Vettel", "PROPN", "nsubjpass", 2, "NNP"), ("was", "be", "AUX", "dep", 2, "VBD"),
            ("forced", "force", "VERB", "ROOT", 2, "VBD"), ("to", "to", "PART", "aux", 4, "TO"),
            ("sit", "sit", "VERB", "xcomp", 2, "VB"), ("out", "out", "ADP", "prt", 4, "RP"),
            ("qualifying", "qualifying", "NOUN", "dobj", 4, "NN")]  # fmt: skip
    words, lemmas, pos, deps, heads, tags = zip(*rows, strict=True)
    doc = Doc(_VOCAB, words=list(words), lemmas=list(lemmas), pos=list(pos), deps=list(deps), heads=list(heads),
              tags=list(tags))  # fmt: skip
    assert depqa.question_for(doc[0:1], "PERSON") is None
    fixed = [*rows[:1], ("was", "be", "AUX", "auxpass", 2, "VBD"), *rows[2:]]
    words, lemmas, pos, deps, heads, tags = zip(*fixed, strict=True)
    doc = Doc(_VOCAB, words=list(words), lemmas=list(lemmas), pos=list(pos), deps=list(deps), heads=list(heads),
              tags=list(tags))  # fmt: skip
    assert depqa.question_for(doc[0:1], "PERSON") == ("Who was forced to sit out qualifying?", "who")


def test_a_qualifier_of_the_verb_past_the_cut_is_not_dropped():
    # "Manny eats five meals, cooked by his chef, daily": not "How many meals does Manny eat?"
    doc = parsed([("Manny", "Manny", "PROPN", "nsubj", 1), ("eats", "eat", "VERB", "ROOT", 1),
                  ("five", "five", "NUM", "nummod", 3), ("meals", "meal", "NOUN", "dobj", 1),
                  (",", ",", "PUNCT", "punct", 1), ("daily", "daily", "ADV", "advmod", 1)])  # fmt: skip
    assert depqa._clause(doc[1], {2, 3}, doc[0]) is None
    plain = parsed([("Manny", "Manny", "PROPN", "nsubj", 1), ("eats", "eat", "VERB", "ROOT", 1),
                    ("five", "five", "NUM", "nummod", 3), ("meals", "meal", "NOUN", "dobj", 1),
                    ("daily", "daily", "ADV", "advmod", 1)])  # fmt: skip
    assert [t.text for t in depqa._clause(plain[1], {2, 3}, plain[0])] == ["daily"]


def test_a_fuller_name_that_opens_on_a_nationality_is_no_answer():
    # qa-7's tuning release: "Villegas" was answered "Colombian Camilo Villegas", the only fuller span
    text = "Colombian Camilo Villegas won. Villegas smiled."
    wide, bare = _person("Colombian Camilo Villegas", 0), _person("Villegas", 31)
    answer = fuller_name(bare, [wide, bare], 0, len(text))
    assert answer is not None and text[answer["start"] : answer["end"]] == answer["text"] == "Camilo Villegas"


def test_no_question_comes_from_a_parse_sentence_that_runs_past_the_splitters():
    # cnn2 audit: "Who works out at a park in Los Angeles 4?" - the splitter ends the sentence before
    # the list marker "4.", the parser's sentence takes it in, and the clause carried it into the question
    words = "Pacquiao works out at a park in Los Angeles 4 . Manny eats rice".split()
    doc = Doc(_VOCAB, words=words, sent_starts=[True] + [False] * (len(words) - 1))
    text = doc.text
    end = text.index(" 4")  # the splitter's sentence: "Pacquiao works out at a park in Los Angeles"
    mention = {"sentence_start": 0, "sentence_end": end}
    assert depqa._crosses(doc[:], 0, mention)
    assert not depqa._crosses(doc[:], 0, {"sentence_start": 0, "sentence_end": len(text)})


def test_a_bare_first_name_or_a_family_name_first_is_answered_in_full():
    # "Tomas" of "Tomas Verhoek", "Wu" of "Wu Jian-li", "Halvorsen" of "Erik Dahl Halvorsen Jr."
    text = "Tomas Verhoek paints. Tomas sleeps."
    full, bare = _person("Tomas Verhoek", 0), _person("Tomas", 22)
    assert fuller_name(bare, [full, bare], 0, len(text)) == full
    family, short = _person("Wu Jian-li", 0), _person("Wu", 40)
    assert fuller_name(short, [family, short], 0, 50) == family
    junior, surname = _person("Erik Dahl Halvorsen Jr.", 0), _person("Halvorsen", 40)
    assert fuller_name(surname, [junior, surname], 0, 50)["text"] == "Erik Dahl Halvorsen Jr."
    # two people of one first name: no guess
    assert fuller_name(bare, [full, bare, _person("Tomas Berg", 60)], 0, 80) is None


def test_a_question_names_people_in_full():
    full, bare, other = _person("Tomas Verhoek", 0), _person("Verhoek", 30), _person("Wu Jian-li", 60)
    names = [bare, _person("Wu", 80)]
    mentions = [full, bare, other, *names[1:]]
    assert full_names("Who said Verhoek was ill?", names, mentions) == "Who said Tomas Verhoek was ill?"
    assert full_names("Who met Wu?", names, mentions) == "Who met Wu Jian-li?"
    # a name inside a longer one is left alone: "Wu Mei" is someone else
    assert full_names("Who met Wu Mei?", names, mentions) == "Who met Wu Mei?"
    assert full_names("Who met Verhoek?", names, [*mentions, _person("Anna Verhoek", 90)]) is None
    org = {"text": "Linden Capital", "label": "ORG", "start": 0, "end": 14}
    longer = {"text": "Marrow Linden Capital", "label": "ORG", "start": 40, "end": 61}
    assert full_names("How much does Linden Capital manage?", [org], [org, longer]) == (
        "How much does Marrow Linden Capital manage?"
    )


def test_a_headline_run_into_the_sentence_is_no_question_material():
    sentence = "7. MARIA VOSS SAVES A PENALTY Luckily, Kerr was there to call it."
    assert headline_in("Who SAVES A PENALTY Luckily?", "MARIA VOSS", sentence)
    assert headline_in("Who was there?", "MARIA VOSS", sentence)  # the answer is the headline's
    # the splitter may cut the headline: its last word opens the sentence
    assert headline_in("When did POOLE Kerr call it?", "x", "POOLE Kerr called it.", "win. 3. FAREWELL TO ANNA ")
    assert headline_in("When did POOLE Kerr call it?", "x", "Kerr called it.", "win. 3. FAREWELL TO ANNA POOLE ")
    assert not headline_in("When did Kerr call it?", "Anna Poole", "Kerr called it.", "win. 3. FAREWELL TO ANNA POOLE ")
    assert not headline_in("Who did NATO and the US FBI warn?", "Kerr", "NATO and the US FBI warned Kerr.")
