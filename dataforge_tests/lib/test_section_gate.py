"""Markup sentences and apparatus sections never feed a summary; titles lose site names."""

import numpy as np

from dataforge.lib.generate.instruction import without_site_name
from dataforge.lib.generate.section_gate import markup_heading, markup_sentence, section_stands


def test_code_is_markup():
    assert markup_sentence("``` >>> y = 7 >>> def bar(): ...")
    assert markup_sentence("Call widget.spin() to start the loop.")


def test_reference_entry_is_markup():
    assert markup_sentence("Quill R, Marsh T. Lamp oils. Lamp J. 2011;88:101-9. doi:10.9999/abc CrossrefGoogle Scholar")


def test_form_and_disclosure_text_is_markup():
    assert markup_sentence("Indicate by check mark whether the registrant is a shell company.")
    assert markup_sentence("This post contains affiliate links, and we may earn a commission.")


def test_author_block_is_markup():
    assert markup_sentence("Corresponding author: ola.brand@fjord-example.org")
    assert markup_sentence("Department of Botany, Nordvik University, Norway")


def test_formula_is_markup():
    assert markup_sentence("x = a + b * c / d ^ 2 = y")


def test_prose_is_content():
    assert not markup_sentence("The harbour town of Velmar rebuilt its pier after the storm of 1998.")
    assert not markup_sentence("Shares of Korvex rose 4% to $12.50 on Tuesday after the merger news.")
    assert not markup_sentence("(CNN) -- A ferry carrying 40 people ran aground near the island on Sunday.")


def test_apparatus_headings():
    for h in ("References", "Guide > See also", "3. Acknowledgements", "Affiliate disclosure", "Related posts"):
        assert markup_heading(h), h
    assert not markup_heading("Growing tomatoes > Watering")


def test_section_needs_standalone_content():
    texts = ["a"] * 6
    assert section_stands("Watering", texts, np.array([True] * 4 + [False] * 2), 2)
    assert not section_stands("Watering", texts, np.array([True, True] + [False] * 4), 2)  # too little content
    assert not section_stands("References", texts, np.ones(6, dtype=bool), 2)


def test_site_name_suffix_dropped():
    """A suffix is cut only when it names the site the page came from (its saved file name)."""
    assert without_site_name("Lemon Poppy Muffins - Bakewise", "bakewise-com-muffins-1a2b") == "Lemon Poppy Muffins"
    assert without_site_name("How Tides Work | Ocean Notes Daily", "oceannotesdaily-org-tides") == "How Tides Work"
    assert without_site_name("Storm Season - The Harbour Gazette", "harbourgazette-com-storm") == "Storm Season"
    assert without_site_name("Rome: The Early Years", "rome-history") == "Rome: The Early Years"
    # webz0 audit: a bar before a site whose first word opens the saved name ("harpers.org.justice")
    assert without_site_name("Open Letters on Debate | Harbour's Gazette", "harbours.org.letters") == (
        "Open Letters on Debate"
    )
    assert without_site_name("Open Letters | Reuters", "nytimes.com.letters") == "Open Letters | Reuters"
    assert without_site_name("Muffins - A Very Long Subtitle That Says Much More Here", "muffins") == (
        "Muffins - A Very Long Subtitle That Says Much More Here"
    )
    # a subtitle is no site name: the document's own name does not contain it
    assert without_site_name("Dr. Lena Vos - Biography", "lena-vos-biography-9f8e") == ("Dr. Lena Vos - Biography")
    assert without_site_name("Harrow Mills - Annual Report 2023 (Excerpt)", "harrow-annual-report") == (
        "Harrow Mills - Annual Report 2023 (Excerpt)"
    )
    title = "Chasing the Light – Until Now"
    assert without_site_name(title, "lightblog-net-chasing") == title


def test_lead_passage_skips_form_text() -> None:
    from dataforge.lib.generate.lead import lead_passage

    texts = [
        "Indicate by check mark whether the registrant has filed all reports required by the act.",
        "Brindle Foods makes frozen pies and sells them in four hundred stores across the north.",
        "The company was founded in 1961 by two sisters who ran a bakery in a small river town.",
        "Its largest plant stands outside Harwick and employs about nine hundred local workers.",
    ]
    doc = " ".join(texts)
    starts = [doc.index(t) for t in texts]
    chosen = lead_passage(texts, starts, doc, 45)
    assert chosen and 0 not in chosen and chosen[0] == 1


def test_a_section_without_sentences_is_no_error() -> None:
    from dataforge.lib.generate.common import DocContext
    from dataforge.lib.generate.summary import _usable

    ctx = DocContext.__new__(DocContext)
    object.__setattr__(ctx, "text", "Heading only")
    object.__setattr__(ctx, "sentences", [])
    assert _usable(ctx, []).dtype == bool
