"""Document filters for fine-tuning sources: real prose is kept (Gopher/C4 findings are flags),
junk is removed, glued sentences are split, repeated passages leave the text and not the
document, and the release reports how many documents it uses. Inline fixtures only."""

from __future__ import annotations

from typing import Any

import pytest

from dataforge.lib.chunk import split_sentences
from dataforge.lib.clean import clean_document, drop_repeated_passages, split_joined_sentences
from dataforge.lib.config import DocumentFilterConfig, QualityConfig
from dataforge.lib.generate import common
from dataforge.lib.quality import build_training_dataset
from dataforge.lib.quality.documents import coverage_report, curate_documents
from dataforge.lib.quality.heuristics import document_flags, junk_reason

NEWS = (
    "The regional water authority approved a budget of 40 million pounds on Tuesday. Members agreed that the "
    "maintenance of the old pumping station should have priority over new projects. The chair said the board "
    "will publish a report with the details in the spring, after a consultation with residents. Critics argued "
    "that the plan does too little for the villages in the north of the county. "
)
# XSum writes sentences without a space after the stop: one "sentence" for C4
GLUED = NEWS.replace(". ", ".")
# a news page that repeats its lead paragraph
REPEATED_LEAD = NEWS + "\n\n" + NEWS.split(". ")[0] + ". " + NEWS.split(". ")[1] + "."
WELSH = (
    "Mae'r awdurdod dŵr rhanbarthol wedi cymeradwyo cyllideb newydd ddydd Mawrth. Cytunodd yr aelodau y dylai "
    "cynnal a chadw'r orsaf bwmpio gael blaenoriaeth dros brosiectau newydd. Dywedodd y cadeirydd y bydd y bwrdd "
    "yn cyhoeddi adroddiad gyda'r manylion yn y gwanwyn, ar ôl ymgynghori â thrigolion lleol yn y sir. Bydd y "
    "cyngor yn trafod y cynllun eto ym mis Mehefin, pan fydd yr arolwg o'r pibellau wedi ei gwblhau."
)
TABLE_PDF = NEWS + "\n" + "\n".join(f"| {2000 + i} | {i * 17.5:.1f} | {i * 3} | {i * 11} |" for i in range(40))


@pytest.mark.parametrize("text", [GLUED, REPEATED_LEAD, WELSH, TABLE_PDF], ids=["glued", "lead", "welsh", "table"])
def test_real_prose_is_flagged_but_kept(text: str) -> None:
    cfg = QualityConfig(semantic_threshold=0)
    flagged: dict[str, list[str]] = {}
    assert junk_reason(text, cfg.document_filters) is None
    assert curate_documents({"d": {"text": text}}, cfg, 13, flagged) == {}
    assert flagged["d"] == document_flags(text, cfg.document_filters) and flagged["d"]


def test_remove_action_brings_back_web_crawl_filtering() -> None:
    cfg = QualityConfig(document_filters=DocumentFilterConfig(action="remove"))
    removed = curate_documents({"d": {"text": WELSH}}, cfg, 13)
    assert removed["d"]["reason"] == "filter_stop_words" and "stop_words" in removed["d"]["detail"]["flags"]
    with pytest.raises(ValueError, match="action"):
        curate_documents({"d": {"text": NEWS}}, QualityConfig(document_filters=DocumentFilterConfig(action="x")), 1)


JUNK = {
    "empty": "   \n\n ",
    "no_words": "42 17 | 3.5 %\n-- 88",
    "lorem_ipsum": "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. " * 3,
    "garbage": "Report \ufffd\ufffd\ufffd (cid:12)(cid:7)(cid:19) \ue000\ue001\ue002 text (cid:3)(cid:44) \ufffd\ufffd",
    "repetition": "Buy cheap watches now and save big today " * 30,
}


@pytest.mark.parametrize("reason", list(JUNK))
def test_junk_is_removed_with_its_reason(reason: str) -> None:
    removed = curate_documents({"d": {"text": JUNK[reason]}}, QualityConfig(), 13)
    assert removed == {"d": {"reason": f"junk_{reason}", "detail": {}}}


def test_a_mention_of_lorem_ipsum_is_not_junk() -> None:
    text = NEWS + "Designers fill empty pages with lorem ipsum until the copy arrives."
    assert junk_reason(text, DocumentFilterConfig()) is None
    assert "lorem_ipsum" in document_flags(text, DocumentFilterConfig())


# --------------------------------------------------------------------------- glued sentences


def test_glued_sentences_are_split_and_lookalikes_are_not() -> None:
    assert split_joined_sentences("Children stay at home.Half of parents agree.") == (
        "Children stay at home. Half of parents agree."
    )
    assert split_joined_sentences("Sales rose in 2015.The firm grew 50%.It said so.") == (
        "Sales rose in 2015. The firm grew 50%. It said so."
    )
    assert split_joined_sentences('He said "we will win."Then he left.') == 'He said "we will win." Then he left.'
    assert split_joined_sentences('It ended."Half the town" agreed.') == 'It ended. "Half the town" agreed.'
    unchanged = (
        "The U.S.Army and Mr.Smith met Mrs.Jones in Sept.Then e.g.The end; see www.bbc.News, jane@example.Com, 3.5 m, "
        "os.Path(x), report.docx and vs.Smith."
    )
    assert split_joined_sentences(unchanged) == unchanged
    once = split_joined_sentences(GLUED)
    assert split_joined_sentences(once) == once == NEWS.rstrip()  # "Tuesday.Members" too


def test_the_one_splitter_splits_glued_stops_and_common_uses_it() -> None:
    text = "Children stay at home.Half of parents agree. Dr. Smith measured 3.5 km.It rained."
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["Children stay at home.", "Half of parents agree.", "Dr. Smith measured 3.5 km.", "It rained."]
    assert common.split_sentences(text, 10) == [(s + 10, e + 10) for s, e in split_sentences(text)]
    assert len(split_sentences(GLUED)) == len(split_sentences(NEWS)) == 4


# --------------------------------------------------------------------------- repeated passages


def test_repeated_paragraph_and_sentence_leave_the_text_not_the_document() -> None:
    lead = "The mayor of the city resigned on Friday night after ten years in office."
    text = (
        f"{lead}\n\nShe had led the council since 2014. {lead} Voters were surprised.\n\n{lead}\n\n# Notes\n\n# Notes"
    )
    assert drop_repeated_passages(text) == (
        f"{lead}\n\nShe had led the council since 2014. Voters were surprised.\n\n\n# Notes\n\n# Notes"
    )
    cleaned = clean_document(text)
    assert cleaned.count(lead) == 1 and cleaned.count("# Notes") == 2  # short lines are structure
    assert clean_document(cleaned) == cleaned
    assert curate_documents({"d": {"text": clean_document(REPEATED_LEAD)}}, QualityConfig(), 13) == {}


# --------------------------------------------------------------------------- coverage


def _summary(doc: str) -> dict[str, Any]:
    return {
        "id": f"s-{doc}", "kind": "summary", "document": NEWS, "summary": NEWS.split(". ")[0] + ".",
        "summary_type": "extractive", "compression_ratio": 0.2, "metadata": {"scope": "document"},
        "source_documents": [doc], "source_spans": [], "generator": "summary.document/5",
    }  # fmt: skip


def test_coverage_counts_documents_with_examples_and_summaries() -> None:
    other = "Quarterly revenue of the software firm rose because cloud subscriptions grew in every region. " * 2
    docs = {"news": {"text": NEWS}, "welsh": {"text": WELSH}, "other": {"text": other}, "junk": {"text": JUNK["empty"]}}
    examples = [_summary("news"), _summary("welsh"), _summary("junk")]
    _, report = build_training_dataset(examples, "r", QualityConfig(semantic_threshold=0), documents=docs)
    coverage = report["coverage"]
    assert coverage["documents"] == 4 and coverage["with_document_summary"] == 2
    assert coverage["share_with_examples"] == 0.5 and coverage["without_examples"] == ["junk", "other"]
    assert report["documents"]["removed"] == {"junk_empty": 1}
    assert report["documents"]["flagged"]["stop_words"] == 1  # Welsh: kept, its flag counted
    assert coverage_report({}, {})["share_with_examples"] == 0.0
