"""Does a sentence read right on its own? Shared by summaries, timelines and entity profiles.

A sentence lifted out of its document must not lean on what was left out: no opening pronoun
or connective ("It manages ...", "However"), no anaphoric noun phrase ("The answer ...",
"The remaining turbine ..."), no first or second person of the source's own voice ("our
wind farms"), no half of a quotation, no list item or table row, no disclaimer or furniture
("Figures refer to the 2023 financial year ...", "This excerpt contains ...").
"""

from __future__ import annotations

import re

from dataforge.lib.clean import is_boilerplate_line
from dataforge.lib.generate.common import is_prose

# A sentence opening like this leans on the one before it.
_DEPENDENT = frozenset(
    """it its this that these those he she they him her his their them however but and also meanwhile
    moreover furthermore instead still yet so then such both besides nevertheless nonetheless thus
    therefore hence otherwise likewise similarly consequently additionally later there another
    others since earlier previously again too""".split()
)
_PRONOUNS = frozenset("it its he she they him her his their them theirs hers".split())
# "The answer ...", "The remaining turbine ...": a definite phrase pointing back
_ANAPHORIC = re.compile(
    r"^[\"'‘“(]*the\s+(?:answer|remaining|rest|other|latter|former|same|two|three|move|decision|deal"
    r"|company|firm|group|club|team|man|woman|pair|new one|question|result|reason|player|striker|midfielder"
    r"|goalkeeper|coach|manager|champion|spokes(?:man|woman)|victim|suspect|couple|boy|girl|star|singer|actor"
    r"|actress|tourists|visitors|hosts|home side|latter|programme|program|project|agreement|acquisition"
    r"|transaction|round|plan|partnership|fund|institute|model|array|proposal|appointment|founders?)\b",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"\b(?:unless (?:otherwise )?(?:stated|noted|indicated)|figures (?:refer|are) (?:to|in)\b|all figures\b"
    r"|forward-looking statements|for more information|click here|subscribe\b|all rights reserved"
    r"|this (?:page|document|article|release|section|excerpt|report|memo|update|faq)\s+"
    r"(?:answers|describes|contains|explains|summari[sz]es|lists|covers|sets out|gives|provides|includes)"
    r"|(?:photo|image|picture)s?\s*(?:credit)?:|getty images|follow us\b|terms of (?:use|service)|privacy policy"
    r"|last updated\b|prepared by\b|\(reuters\)|^\s*by [A-Z][a-z]+ [A-Z][a-z]+\b"
    r"|\b(?:dates|amounts|figures|numbers|values|statements)\b[\w ]{0,30}\b(?:are|were) (?:taken|shown|given|stated|"
    r"expressed|rounded|published separately)|published separately|\bsee (?:page|section|appendix|note)\b"
    r"|\b(?:this|that|the previous|the next|the following) (?:item|point|agenda item|matter|section|chapter|table)\b"
    r"|\b(?:above|below)\s*[.,;]|\bas follows\b"
    r"|\b(?:top|bottom) of (?:this|the) (?:story|article|page|post)\b"  # "... seen at the top of this story"
    # the paper pointing at its own pages: "For a primer on promposals, see previous years' winners",
    # "Here, Sportsmail recounts 10 of his finest moments"
    r"|\bfor (?:a|an|the|more)\b[^.,]{0,40},?\s+see\b"
    r"|^\s*here,?\s+(?:[\w'’]+\s+){0,3}(?:recounts|looks|takes|presents|picks|rounds|brings|reveals|lists)\b)",
    re.IGNORECASE,
)
# the source's own voice: first or second person outside quotations ("us" lower case: "US" is a place)
_PERSON = re.compile(r"\b(?:[Ll]et['’]s|[Ww]e|[Oo]urs?|us|I|[Mm]y|[Mm]e|[Yy]ou|[Yy]our|[Oo]urselves)\b")
# a quotation: double quotes, or single ones as British papers write them ('I want it gone,' she said);
# an apostrophe inside or after a word (don't, Britain's) neither opens nor closes one
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]|‘.*?’(?!\w)|(?<![\w'’])'(?=\S).*?(?<=\S)'(?!\w)")
# a list item, a timeline row ("January 2019 - ..."), a numbered step, a citation ("Okafor, A. (2022).")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•–]\s|\d{1,2}[.)]\s|[\w ,]{0,30}?\b\d{4}\s*(?:\([^)]*\)\s*)?[-–:]\s)")
_CITATION = re.compile(r"^[A-Z][\w'-]+, [A-Z]\.|\(\d{4}\)\.\s*$")
# two sentences run together where a caption or headline lost its full stop ("... a colleague The cost ...")
_GLUED = re.compile(
    r"[a-z0-9,%]\s+(?:The|He|She|It|They|His|Her|Its|Their|This|These)\s+[a-z]"
    r"|[a-z]{3}\s+An?\s+\d+-year-old\b"  # "... and parent Jimmie Scott complained A 12-year-old boy ..."
    r"|^(?:[A-Z][\w'-]*\s+){1,6}\(\d{4}[^)]{0,12}\)\s+[A-Z]"  # "Growth Capital (2020-2021) Grietje Bos joined"
    r"|(?:^|\s)Dear\s+[a-z]+,"  # "Letter from the Chief Executive Dear shareholders, ..."
    r"|\(\d{4}(?:\s*[-–]\s*\d{2,4}|\s+onwards)?\)\s+[A-Z]"  # a PDF section heading "... (2015-2016) Northwind was"
    # a page's headline and posting line run into its first sentence: "... surgeon general Posted July 20, 2009 The"
    r"|\s(?-i:Posted|Published|Updated)(?: on)?\s+(?:[A-Z][a-z]{2,8}\.?\s+)?\d{1,4}\b"
)
# a dateline left at the start of a news sentence: "LONDON 1996-08-30 ", "FARMINGTON HILLS , Mich . 1996-08-30 "
# a headline, byline and dateline left at the start of a news sentence: "LONDON 1996-08-30 ",
# "FARMINGTON HILLS , Mich . 1996-08-30 ", "MILAN 'S LENTINI MOVES TO ATALANTA . MILAN 1996-08-30 ",
# "Adrian Warner BERLIN 1996-08-30 "
_LEAD_DATELINE = re.compile(
    r"^(?:[^a-z]{3,120}?\s\.\s+)?(?:(?:[A-Z'][\w.'&-]*,?|,|\.)\s+){0,8}\d{4}-\d{2}-\d{2}\s+(?=[A-Z\"'‘“])"
)
# a web page's timestamp run into the lead: "Posted 2 / 3 / 2009 11:11 PM ", "Updated 9:06 AM ",
# "Sun, 15 Sep 2013 ", "May 24, 2005, 3:23 PM ET ", "August 2, 2013 " before the first word of the story
_MONTH = (
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*"
    r"|(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*)\.?"  # "FEB. 2, 2009"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"  # "August 2nd, 2013"
_STAMP_DATE = (
    rf"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?(?:{_MONTH}\s+{_DAY},?\s+\d{{4}}|{_DAY}\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4})"
)
_ZONE = r"(?:\s+(?:ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|GMT|BST|UTC|IST|CET|CEST|AEST|AEDT|JST|HKT))?"
# "5:19 pm", "08:06AM PT", "19:04 IST", "03. 31 BST" (a tokenised "03.31")
_STAMP_TIME = rf"\d{{1,2}}(?::|\.\s?)\d{{2}}\s*(?:[AaPp]\.?\s?[Mm]\.?)?{_ZONE}"
_CLOCK_TIME = rf"\d{{1,2}}[:.]\d{{2}}\s*[AaPp]\.?\s?[Mm]\.?{_ZONE}"
_STAMP_WORD = r"(?:(?:[Pp]osted|[Uu]pdated|[Pp]ublished|[Ll]ast updated|[Mm]odified)(?:\s+(?:on|at))?:?\s+|on\s+)"
_ONE_STAMP = rf"(?:{_STAMP_DATE}(?:(?:,?\s+(?:at\s+)?|\s+\|\s+|-){_STAMP_TIME})?|{_CLOCK_TIME})"
_LEAD_STAMP = re.compile(
    # "on April 30, 2008 at 4:31 AM, updated April 30, 2008 at 8:33 AM ", "April 10, 2007-7:07AM ", and
    # the rest of one after a splitter cut it at its clock time ("AM, updated ...")
    rf"^(?:[AP]\.?M\.?,\s+)?{_STAMP_WORD}?{_ONE_STAMP}(?:,?\s+{_STAMP_WORD}{_ONE_STAMP})*\s+(?=[A-Z\"'‘“])"
    # a law firm's blog byline: "On behalf of Newman & Newman, LLP. posted in Hit and Run Accidents on
    # Friday, September 20, 2013." (ecbt audit: a summary's first sentence and a timeline event)
    rf"|^(?:On behalf of [^\n]{{2,100}}?\s)?[Pp]osted in [^\n.]{{2,80}}? on {_STAMP_DATE}\.?(?:\s+|$)"
)
_MARKUP = re.compile(r"^\s*(?:\*\*|__|#+\s)")


# "Plus, ...", "Now, ...", "All of those things ...", "For example, ...", "Not much, ...", "The short answer ..."
_DEPENDENT_PHRASE = re.compile(
    r"^[\"'‘“(]*(?:plus\b|now,|(?:all|both|each|none|some|many|most|one|neither|either|any) of "
    r"(?:these|those|them|this|that|which)\b|all the more\b|for (?:example|instance)\b"
    r"|not (?:much|really|quite|so|yet|always|exactly|necessarily)\b"
    r"|the (?:short|long|simple) answer\b|the (?:problem|trick|catch|key|point|idea) (?:is|here)\b"
    # "Most recently, novelist ...", "At the time, the victim ...": the events they follow are left out
    r"|in fact\b|most recently\b|more recently\b|at the time\b|at that (?:time|point|stage)\b|by then\b|as a result\b"
    r"|in (?:response|return|turn)\b|here,|[^,.]{2,40},\s+though,)",
    re.IGNORECASE,
)
# a word typed twice ("to the the national curriculum"): a typo the source made, not to copy;
# "had had" and "that that" are English
_DOUBLED = re.compile(r"\b(?!(?:had|that|is|do|can|bye|very|ha|no|tut|so|many|far)\b)([a-z]+) \1\b", re.IGNORECASE)
# a preposition left in front of another one by an edit ("when he appeared at in the District Court")
_GARBLED = re.compile(r"\bat (?:in|on|of) (?:the|a|an)\b", re.IGNORECASE)
# "... is working to change this.": the object points back to what came before
_ANAPHORIC_END = re.compile(
    r"\b(?:this|that|these|those)(?:\s+(?!(?:year|week|month|day|season|time|morning|afternoon|evening|night|weekend"
    r"|summer|winter|spring|autumn|fall)s?\b)[a-z]+)?\s*[.!?]?[\"'’”)]*\s*$",
    re.IGNORECASE,
)
# "... a British battalion was stationed there.": a place named in another sentence (webx audit,
# round 11), unless the sentence names it first ("moved to Paris and lived there until 1990")
_THERE = re.compile(
    r"(?<!\bover )(?<!\band )(?<!\bthen and )\bthere(?:\s*[.!?]?[\"'’”)]*\s*$|\s+(?:until|since|for|from|ever)\b)",
    re.IGNORECASE,
)
_PLACE_BEFORE = re.compile(r"\b(?:in|to|at|from|near|into|of|visit(?:ed)?)\s+(?:the\s+)?[A-Z]")
# "... joined the board.", "... left the club.": a body of an organisation the sentence does not name
_BODY_END = re.compile(
    r"\b(?:joined|rejoined|left|quit|led|ran|managed|coached|captained|chaired|founded|bought|acquired|sold"
    r"|took over|stepped down from|resigned from)\s+the\s+(?:board|company|firm|group|club|team|side|squad"
    r"|business|committee|council|department|party"
    r"|organi[sz]ation|venture|project|programme|program)\s*[.!?]?[\"'’”)]*\s*$",
    re.IGNORECASE,
)
_TEMPORAL_SINCE = re.compile(
    r"^[\"'‘“(]*since\s+(?:\d|(?:january|february|march|april|may|june|july|august|september"
    r"|october|november|december)\b)",
    re.IGNORECASE,
)


# a capitalised first word that is no noun a later pronoun could mean: "Yesterday he said ..."
_NO_REFERENT_OPENING = frozenset(
    """yesterday today tonight tomorrow now recently earlier later then last next once when while after before
    during despite although though because if as since until speaking asked according first second third
    former latter such finally instead""".split()
)


_SUBJECT_PRONOUNS = frozenset("it he she they".split())
_SUBJECT_POSSESSIVES = frozenset("its his their".split())  # "her" may be an object: someone else
_AUXILIARIES = frozenset("will would could should can may might must had has have is was were are did does".split())
_FULL_NAME = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")


def _names_subject(word: str) -> bool:
    """Is a sentence's first word a noun a pronoun right after it can mean ("Greece has denied it
    will ...", "Police said they ...")? Not a function word, an adverb or a time word."""
    from dataforge.lib.captions import function_words

    w = word.lower()
    return w not in function_words() and w not in _NO_REFERENT_OPENING and not w.endswith("ly")


def dependent(text: str, opening: bool = False) -> bool:
    """Does the sentence open with a pronoun, connective or anaphoric phrase needing the sentence before?
    Also a quotation attributed to a pronoun ('"...," she told the paper.'), a pronoun subject right
    after an opening phrase ("Over the past decades, they ...") and an object pointing back ("... change
    this.", "... joined the board.", "... was stationed there."); "Since 2001, ..." is a date, not a
    connective; "It's" is "It". ``opening``: the document's first sentence, where a definite
    description ("The woman accused of ...") introduces, it cannot point back."""
    words = re.findall(r"[A-Za-z']+", text)
    if not words:
        return False
    if _TEMPORAL_SINCE.match(text):
        return bool(_ANAPHORIC_END.search(text))
    first = words[0].lower().split("'")[0]  # "It's", "They're": the pronoun
    if opening and first in _PRONOUNS and _FULL_NAME.search(text, len(words[0])):
        return False  # "She's been living in New York ..., and it seems that Princess Eugenie is ...": the name follows
    if first in _DEPENDENT or (_ANAPHORIC.match(text) and not opening) or _DEPENDENT_PHRASE.match(text):
        return True
    if _ANAPHORIC_END.search(text) or _BODY_END.search(text):
        return True
    there = _THERE.search(text)
    if there and not _PLACE_BEFORE.search(text, 0, there.start()):
        return True
    outside = re.findall(r"[A-Za-z']+", _QUOTED.sub(" ", text))
    if outside and outside != words and outside[0].lower() in _PRONOUNS:
        return True  # the speaker of a quotation is only "he" or "she"
    opening = re.match(r"^[^,;:]{3,90}?,\s+([A-Za-z']+)", text)
    if opening and re.fullmatch(r"that['’]s|this", opening.group(1), re.IGNORECASE):
        return True  # "At $100 a pop, that's some pretty pricey ...": what "that" is came before
    if opening and opening.group(1).lower().split("'")[0] in _PRONOUNS:
        return not re.search(r"[A-Z]", opening.group(0)[1 : -len(opening.group(1))])  # no name it could mean
    # a pronoun among the first words before any name ("Since then it has built ..."); the subject
    # of a clause after a noun subject is what it means ("Greece has denied it will ...", not "Smith denied it."),
    # and so is a possessive after its verb ("Libyans are dressing up their capital")
    subject = _names_subject(words[0])
    for j, w in enumerate(words[1:5], start=1):
        if w[:1].isupper():
            return False
        if w.lower() in _PRONOUNS:
            after = words[j + 1].lower() if j + 1 < len(words) else ""
            clause = w.lower() in _SUBJECT_PRONOUNS and after in _AUXILIARIES
            return not (subject and (clause or (w.lower() in _SUBJECT_POSSESSIVES and j >= 2)))
    return False


# page furniture: what a site says about itself, its pages and its readers, not what the page says
_FURNITURE = re.compile(
    r"\bnetwork consists of\b|\bQ&A communit|\bquestion and answer site\b|\bonline community for\b"
    r"|\bno registration required\b|\bcookies? (?:policy|settings|preferences|consent)\b|\buses? cookies\b"
    r"|\b(?:log|sign) (?:in|up)\b|\bsubscription content\b|\b(?:sign up for|subscribe to) (?:our|the) newsletter\b"
    r"|\b(?:leave|post|add|write) a (?:comment|reply|review)\b|\bcomments? (?:are|is) closed\b"
    r"|\bshare (?:this|it) (?:on|with)\b"
    r"|\bfollow [\w ]{1,30}\bon (?:twitter|facebook|instagram|linkedin|youtube)\b|\b(?:on|at) (?:twitter|instagram) @"
    r"|^\W*(?:posted|published|updated|written|filed|submitted)(?: by| on| in| at|:)"
    r"|\b(?:in|on|of|from|throughout|to|for) this "
    r"(?:article|post|page|website|blog|guide|tutorial|video|thread|review)\b"
    r"|\bthis (?:article|post|page|website|guide|tutorial|letter) (?:is|was|will)\b|^\W*note\s*:|\bthe below\b"
    r"|\b(?:instructions|steps|examples?|code|commands?|list|table|links?|options|output|snippet)\s+(?:below|above)\b"
    r"|\bthe (?:above|following) (?:code|example|steps?|commands?|list|table|output|snippet|request|reply|screenshot)\b"
    r"|\b(?:figure|fig\.|table|chart|screenshot)\s+\d+\b"
    r"|\((?:left|right|centre|center|pictured|top|bottom|inset|file photo)\)"
    r"|\bwhich is where this\b|\bread on\b|\bkeep reading\b|\bscroll down\b|\bavailable here\b|\bhere:\s"
    r"|\b(?:the|this|that) (?:first|second|third|last|next|previous) (?:example|snippet|listing|case|step)\b"
    r"|\bin (?:this|that|the) example\b",
    re.IGNORECASE,
)


def boilerplate(text: str) -> bool:
    """A disclaimer, credit, byline or furniture sentence (a site describing itself, a prompt to
    comment, share or subscribe, a "posted by" line, a pointer to the page or a figure): never summary material."""
    return is_boilerplate_line(text) or bool(_DISCLAIMER.search(text)) or bool(_FURNITURE.search(text))


def bare_quote(text: str) -> bool:
    """A quotation with no word outside it: whose words they are was said in another sentence."""
    t = " ".join(text.split())
    return bool(_QUOTED.search(t)) and not re.search(r"[A-Za-z]", _QUOTED.sub(" ", t))


# a step of a recipe or a manual: "Add the onions ...", "Click Save", "Dip each ball into ..."
_COMMAND = frozenset(
    """add apply bake blend boil chop click combine dip drizzle fry grate install knead marinate mince preheat
    rinse saute sauté scroll simmer slice sprinkle stir toss unzip whisk pour soak garnish
    download follow grab try visit learn enjoy consider remember make let get""".split()
)
# verbs that are nouns too ("Cut flowers last ..."): a command only before an object or a particle
_COMMAND_AMBIGUOUS = frozenset(
    """cut heat mix place put remove serve set share start take turn use wash watch check keep open press run cover
    drain fill season spread tap drag discover imagine""".split()
)
_OBJECT_START = frozenset(
    """the a an your it them each all some this these those one two off up out in on down over into everything any
    everyone half more""".split()
)


_STEP_ADVERBS = frozenset("now then next finally first afterwards meanwhile lastly".split())


def imperative(text: str) -> bool:
    """A command to the reader (a recipe or manual step, "Get ready for ..."): instructions, not what a page says."""
    words = re.findall(r"[A-Za-z'’]+", text)
    if len(words) > 2 and words[0].lower() in _STEP_ADVERBS:
        words = words[1:]  # "Now heat the oil ...", "Then add the rice ..."
    if len(words) < 2:
        return False
    first, second = words[0].lower(), words[1].lower()
    if first == "let" or first.startswith("let'") or first.startswith("let’"):
        return True
    if first in _COMMAND:
        return second not in {"of", "is", "was", "are", "were", "has", "had"}
    return first in _COMMAND_AMBIGUOUS and second in _OBJECT_START


# a pronoun that cannot be the subject it follows ("Marsh has called her ...", "him", "them")
_OBJECT_PRONOUN = re.compile(r"\b(?:him|them|her(?=\s*[\"“‘'(,.;]|\s*$|\s+(?:the|a|an|to|as|in|on|for|with)\b))\b")


def object_pronoun(text: str) -> bool:
    """An object pronoun outside quotations ("X has called her ..."): someone another sentence named."""
    return bool(_OBJECT_PRONOUN.search(_QUOTED.sub(" ", text)))


def unquoted(text: str) -> str:
    """The text with its quotations blanked out: the source's own words, not a speaker's."""
    return _QUOTED.sub(" ", text)


def first_person(text: str) -> bool:
    """First or second person outside quotation marks: the source's own voice ("our wind farms")."""
    return bool(_PERSON.search(_QUOTED.sub(" ", text)))


# a single quote opening a quotation ("said: 'Hillary Clinton is"), one closing it ("community,' she");
# an apostrophe inside a word ("Clinton's") is neither
_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(:;—–]))['‘](?!\d0s\b|n'|em\b)(?=[A-Za-z0-9])")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?;])['’](?=[\s,.;:!?)]|$)")


def unbalanced_quote(text: str, closable: bool = False) -> bool:
    """Half of a quotation: a quote mark opened or closed in another sentence. A single quote
    opened and never closed counts too ("... said: 'Hillary Clinton is a proven leader ... community.");
    a plural possessive ("the players' union") only adds a closing mark, so never makes one.
    ``closable``: a single quote opened once and running to the sentence's end is no defect where the
    writer closes it (``close_quote``: a summary sentence)."""
    straight = text.count('"') % 2 == 1
    curly = text.count("“") != text.count("”")
    opened, closed = len(_SINGLE_OPEN.findall(text)), len(_SINGLE_CLOSE.findall(text))
    return straight or curly or opened > closed + (1 if closable and _closable(text) else 0)


def _closable(text: str) -> bool:
    """One single quote opens after a colon or a speech verb and nothing closes after it: 'He said: 'We ...'."""
    opens = list(_SINGLE_OPEN.finditer(text))
    return (
        bool(opens)
        and not _SINGLE_CLOSE.search(text, opens[-1].end())
        and bool(re.search(r"(?::|\b(?:said|says|added|told \w+|wrote|read))\s*$", text[: opens[-1].start()]))
    )


def close_quote(text: str) -> str:
    """The sentence with a single quote it opens and never closes closed at its end ("... on time.'")."""
    if _closable(text) and len(_SINGLE_OPEN.findall(text)) > len(_SINGLE_CLOSE.findall(text)):
        mark = "’" if "‘" in text else "'"
        return text.rstrip() + mark
    return text


def list_item(text: str, doc_text: str = "", start: int = 0) -> bool:
    """A bullet, numbered step, timeline row or citation, in the sentence or at its line start."""
    line_start = doc_text.rfind("\n", 0, start) + 1 if doc_text else start
    prefix = doc_text[line_start:start] if doc_text else ""
    head = (prefix + text) if len(prefix) <= 40 else text
    return bool(_LIST_ITEM.match(head) or _CITATION.search(text) or _MARKUP.search(head))


def tabular(text: str) -> bool:
    """A flattened table or score line: many of its tokens are numbers."""
    tokens = text.split()
    numeric = sum(1 for t in tokens if re.search(r"\d", t))
    return numeric >= 4 and numeric > 0.25 * len(tokens)


# how a meeting ran, not what it decided: minutes open and close with these
_PROCEDURE = re.compile(
    r"\b(?:opened|closed|chaired|adjourned) the meeting\b|\bquorum\b|\bminutes of the (?:\w+ )?meeting"
    r"|^(?:the )?meeting (?:was )?held\b|\b(?:joined|left) the meeting\b|\bno (?:further|other) business\b"
    r"|\bapologies (?:were|for absence)\b|\basked (?:whether|if)\b",  # a question put, not an outcome
    re.IGNORECASE,
)


def procedural(text: str) -> bool:
    """A sentence on how a meeting ran ("The chairman opened the meeting at 09:30 ..."): not its point."""
    return bool(_PROCEDURE.search(text))


def glued(text: str) -> bool:
    """Two sentences run together: a caption or headline that lost its full stop (``captions.run_on``)."""
    from dataforge.lib.captions import run_on

    return bool(_GLUED.search(text)) or run_on(text)


# a connective before a name: "But Britt McHenry, a reporter for ESPN, has been suspended ..."
_CONNECTIVE_BEFORE_NAME = re.compile(r"^(?:(?:But|And|Yet)\s+|(?:However|Meanwhile),\s+)(?=([A-Z][a-z]+)\b)")


def connective_before_name(text: str) -> int:
    """How many characters of a connective open a sentence whose subject is a name ("But Britt
    McHenry ... has been suspended"): without it the sentence says the same and stands alone; 0 if none."""
    from dataforge.lib.captions import function_words

    m = _CONNECTIVE_BEFORE_NAME.match(text)
    if not m or m.group(1).lower() in function_words() or m.group(1).lower() in _DEPENDENT:
        return 0
    return m.end()


def lead_furniture(text: str) -> int:
    """How many characters of a dateline or a page's timestamp open the sentence ("LONDON 1996-08-30
    West ...", "Updated 9:06 AM A woman ..."): 0 if none."""
    m = _LEAD_DATELINE.match(text) or _LEAD_STAMP.match(text)
    return m.end() if m else 0


def standalone(
    text: str, doc_text: str = "", start: int = 0, after_predecessor: bool = False, closable: bool = False
) -> bool:
    """A prose sentence that reads right with nothing before it (see the module docstring);
    ``after_predecessor``: it will follow the sentence before it, so a dependent opening is fine;
    ``closable``: a quotation it opens and never closes is closed by its writer (``close_quote``)."""
    text = " ".join(text.split())
    return (
        is_prose(text)
        and (after_predecessor or not dependent(text))
        and not boilerplate(text)
        and not first_person(text)
        and not unbalanced_quote(text, closable)
        and not bare_quote(text)
        and not list_item(text, doc_text, start)
        and not tabular(text)
        and not glued(text)
        and not _DOUBLED.search(text)
        and not _GARBLED.search(text)
    )


_INLINE_MARKUP = re.compile(r"(?<![\w*])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?![\w*])")


# a pointer to a photo the example does not have: "Roger Wright (above) dismissed ...", "(pictured left)"
_PHOTO_POINTER = re.compile(
    r"\s*\((?:(?:also |not )?pictured(?: [^()]{0,30})?|above|below|left|right|centre|center|inset|top|bottom"
    r"|(?:far|second|top|bottom) (?:left|right)|file photo|main picture)\)",
    re.IGNORECASE,
)


def clean_sentence(text: str) -> str:
    """Whitespace collapsed, inline markup (``**bold**``) and pointers to photos ("(pictured)",
    "(left)") removed; asterisks inside a word ("f**king") are the source's own and stay."""
    return " ".join(_PHOTO_POINTER.sub("", _INLINE_MARKUP.sub(r"\2", text)).split())


# What is expected, planned or hedged has not happened: no timeline event
_NOT_YET = re.compile(
    r"\b(?:expect\w*|will|would|could|should|(?-i:may)|might|must|plan\w*|intend\w*|aim\w*|target\w*|schedul\w*|due"
    r"|forecast\w*|outlook|propos\w*|hope\w*|likely|anticipat\w*|until|remains?|wants?|seeks?|if|whether"
    r"|typically|usually|each|every|per|since|averag\w*|totall?ed|amounted|stood|ranged|accounted|times|now)\b",
    re.IGNORECASE,
)
PAST_VERB = re.compile(
    r"\b(?:[a-z]{3,}ed|was|were|became|began|took|led|won|joined|made|met|grew|rose|fell|sold|bought|built|left"
    r"|held|gave|moved|came|went|brought|saw|paid|signed|raised|spent|hit|lost|beat|ran|opened|wrote|struck"
    r"|chose|drew|broke|got|became|founded|born|won|shot|stole|flew|rode|sank|swam|threw|overtook)\b"
)
# "noted that ... in June 2021": the date may belong to the reported event or to the report
_REPORTED = re.compile(
    r"\b(?:said|says|noted|reported|told|added|explained|recalled|argued|stated|according to)\b"
    r"|\b(?:was|were|is|are)\s+(?:considered|regarded|seen|thought|deemed|described)\b"  # a judgement of it
)
# "the 1988 bombing", "its 1995 profits": the year names a thing the sentence mentions, not when it happened
_YEAR_MODIFIER = re.compile(r"^\s*(?:[a-z]+-)?[a-z]+", re.ASCII)
_DETERMINER_BEFORE = frozenset("the its his her their our a an this that whose".split())
_RANGE_BEFORE = frozenset("since by until till before after from through between to and than of or for".split())
# "found it compatible with her role": a person the event sentence does not name
_PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their)\b", re.IGNORECASE)
_SUBORDINATE = re.compile(r"\b(?:when|which|who|whom|whose|including|that|led by|after|before|while)\b")
_RANGE_AFTER = re.compile(r"^\s*(?:to|-|–|—|and|or)\s*\d")


def is_event(sentence: str, doc_text: str, start: int, date_start: int, date_end: int) -> bool:
    """A dated event a reader can place: a standalone sentence stating, in the past tense, what
    happened at one date that names its year (not a plan or expectation, not "since 2016", not
    a range "2020 to 2022", not a report of something dated elsewhere)."""
    date_text = doc_text[date_start:date_end]
    before = re.findall(r"[A-Za-z]+", doc_text[max(0, date_start - 20) : date_start])
    # "... financed from the round led by Halloran Blue in June 2021": the date is in a clause of its own
    clause = _SUBORDINATE.search(doc_text[start:date_start])
    return (
        bool(re.search(r"\b\d{4}\b", date_text))
        and standalone(sentence, doc_text, start)
        and not _NOT_YET.search(sentence)
        and not procedural(sentence)  # "Meeting held on 5 February 2024 ...": how a meeting ran
        and not _REPORTED.search(sentence)
        and not _PERSONAL_PRONOUN.search(_QUOTED.sub(" ", sentence))
        and bool(PAST_VERB.search(sentence))
        and not (before and before[-1].lower() in _RANGE_BEFORE)
        and not (_names_a_thing(before, date_text) and _YEAR_MODIFIER.match(doc_text[date_end:]))
        and not _RANGE_AFTER.match(doc_text[date_end : date_end + 8])
        and clause is None
    )


def _names_a_thing(before: list[str], date_text: str) -> bool:
    """A determiner stands before the date ("the 1988 bombing", "its [1995] profits")."""
    first = date_text.split()[0].lower() if date_text.split() else ""
    return first in _DETERMINER_BEFORE or bool(before and before[-1].lower() in _DETERMINER_BEFORE)


def on_date(date_text: str) -> str:
    """The date with its preposition: "on 14 March 2023", "in June 2021", "in 2019"."""
    date_text = re.sub(r"^(?:in|on|at)\s+", "", " ".join(date_text.split()), flags=re.IGNORECASE)
    return ("on " if re.search(r"\b[0-3]?\d(?:st|nd|rd|th)?\b(?!\d)", date_text) else "in ") + date_text


# what a thing is: "X, a London-based investor, ...", "X is an independent developer ..."
DEFINES = re.compile(r"^[^,]{0,80}?(?:,\s+(?:a|an|the)\s|\s+(?:is|was)\s+(?:a|an|the)\s)")


def defines(sentence: str, name: str | None = None) -> bool:
    """The sentence says what its subject is (a profile's or an overview's opening). With
    ``name``, the definition must follow the name itself: "NREC is headquartered in Rotterdam,
    the Netherlands." defines nothing, "NREC, the offshore developer, ..." does."""
    if name is None:
        return bool(DEFINES.match(sentence))
    at = sentence.find(name)
    if at < 0:
        return False
    rest = sentence[at + len(name) :]
    return bool(re.match(r"(?:\s*\([^)]*\))?(?:,\s+(?:a|an|the)\s|\s+(?:is|was)\s+(?:a|an|the|one)\s)", rest))
