"""Wh-questions from the dependency parse: the answer is a mention that fills a verb's slot.

Where the string templates (``templates``) need a verb from their lexicon, this uses the
parse the NER stage already made (spaCy tags, lemmas, dependencies), so any verb works:

- subject:  "William conquered England." -> "Who conquered England?"
- object:   -> "Which place did William conquer?"
- prep.obj: "In 1066, William conquered England." -> "When did William conquer England?"
- count:    "The army had 7,000 men." -> "How many men did the army have?"

Only main clauses (the root, or a coordinated clause with its own subject) are used, the
answer must be the whole argument (a determiner aside), and the question keeps the clause
up to its first comma-delimited addition. Anything else gives no question.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from dataforge.lib.assertion import assertion, is_asserted
from dataforge.lib.generate.answer_check import quotation
from dataforge.lib.generate.common import DocContext
from dataforge.lib.generate.lexicon import SPEECH_LEMMAS, SUBJECT_WH, place_institution
from dataforge.lib.generate.question_check import NEEDS_OBJECT
from dataforge.lib.generate.templates import join_question
from dataforge.lib.nlp import ENTITY_LABELS

GEN_DEPENDENCY = "qa.dependency/5"  # 4: no date of a noun-spelled participle, no clause run into a pp
# 5: a name the tagger calls a noun keeps its capital; no emphatic "did"; "Where" for a hospital
MAX_WORDS = 25
MAX_SUBJECT = 12  # tokens
_RELATIVE = frozenset({"who", "which", "that"})
_CLAUSES = frozenset({"ROOT", "conj", "advcl", "ccomp", "relcl"})
_DO = {"VBD": "did", "VBZ": "does", "VBP": "do"}
_CUT = frozenset({",", ";", ":", "(", "\u2013", "\u2014", '"', "\u201c", "\u201d"})
_DROP_DEPS = frozenset({"conj", "cc", "advcl", "parataxis", "punct", "mark", "intj", "discourse", "dep", "preconj"})
_PERSON_PREPS = frozenset("with to for by from against about under".split())
# not "in/on/at which organization": a court, a platform or a game is no place ("On which organization did ... serve?")
_NAME_PREPS = _PERSON_PREPS | frozenset("as of".split())
# focus and linking adverbs point at a sentence the question does not have ("When was X also disbanded?")
_LINKING = frozenset(
    "also even too then likewise similarly meanwhile however therefore thus moreover furthermore".split()
)
_NO_DETS = frozenset({"no", "neither"})
# a verb's complements: a question that leaves one out is cut ("When did McLean see?", "Which facility said Wednesday?")
_COMPLEMENTS = frozenset({"dobj", "ccomp", "xcomp", "attr", "acomp", "oprd", "dative", "prt"})
_VALUE_WH = {"MONEY": "How much", "PERCENT": "How much", "QUANTITY": "How much"}
# past participles spelled like nouns, which the tagger reads as nouns ("a record set in 1989")
_BARE_PARTICIPLES = frozenset("set cut hit put shut spread cast bid quit let run".split())


def _text(tokens: list[Any]) -> str:
    """Tokens in order with their own spacing, and a space wherever tokens were left out."""
    out, last = [], None
    for t in sorted(tokens, key=lambda t: t.i):
        if last is not None and t.i != last.i + 1 and not last.whitespace_:
            out.append(" ")
        out.append(t.text_with_ws)
        last = t
    return "".join(out).strip()


def _answer_tokens(arg: Any, span: Any) -> set[int] | None:
    """Token ids removed with the answer: the argument's subtree when it is the mention
    (a leading determiner, or a trailing comma-led apposition, aside); else None."""
    sub = [t.i for t in arg.subtree]
    inside = set(range(span.start, span.end))
    extra = [i for i in sub if i not in inside]
    if not inside <= set(sub):
        return None
    left = [i for i in extra if i < span.start]
    right = [i for i in extra if i >= span.end]
    doc = arg.doc
    if any(doc[i].dep_ != "det" for i in left):
        return None
    if right and doc[right[0]].text != ",":
        return None
    if any(t.dep_ == "conj" for t in arg.children):
        return None  # "X, Y and Z": one conjunct is a partial answer
    return set(sub)


def _wh(label: str, role: str, prep: str | None, answer: str = "") -> tuple[str, str] | None:
    """(wh phrase, question type) for an answer of ``label`` in ``role``."""
    if role == "pp":
        if place_institution(label, prep, answer):
            return "Where", "where"
        if label in ("DATE", "TIME"):
            if prep in ("in", "on", "at", "during"):
                return "When", "when"
            return (f"{prep.capitalize()} when", "when") if prep in ("since", "until") else None
        if label in ("GPE", "LOC", "FAC") and prep in ("in", "at", "near"):
            return "Where", "where"
        if label in ("MONEY", "PERCENT", "QUANTITY"):
            return ("By how much", "how_much") if prep == "by" else None
        if label == "PERSON":  # "In whom are Kilmarnock eighth?" reads wrong: only the usual pied-piped ones
            return (f"{prep.capitalize()} whom", "who") if prep in _PERSON_PREPS else None
        if label in SUBJECT_WH and prep in _NAME_PREPS:  # not "Past which facility did Manchester United ease?"
            return f"{prep.capitalize()} {SUBJECT_WH[label].lower()}", "which"
        return None
    if label == "PERSON":
        return "Who", "who"
    if label in SUBJECT_WH:
        return SUBJECT_WH[label], "which"
    if role == "obj" and label in _VALUE_WH:
        return _VALUE_WH[label], "how_much"
    return None


def _clause(verb: Any, skip: set[int], subject: Any | None) -> list[Any] | None:
    """The verb's clause after the verb, minus ``skip``, cut at its first comma-led addition."""
    dropped: set[int] = set(skip)
    for child in verb.children:
        if child.dep_ in _DROP_DEPS or child.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg", "expl"):
            dropped.update(t.i for t in child.subtree)
    if subject is not None:
        dropped.update(t.i for t in subject.subtree)
    rest, gap = [], False
    for t in verb.subtree:
        if t.i <= verb.i:
            continue
        if t.text == "," and _inside_date(t):
            rest.append(t)
            continue
        if t.text in _CUT:
            kept = {r.i for r in rest}
            if any(u.dep_ == "conj" and u.head.i in kept for u in verb.subtree if u.i > t.i):
                return None  # the cut drops conjuncts: "in Rotterdam, Oslo and Bergen" is not "in Rotterdam"
            if any(r.head.i > t.i and r.head.i not in dropped for r in rest):
                return None  # a phrase goes on past the cut: "is delighted that Dr. Regina Benjamin, ..., was named"
            if any(c.dep_ in ("advmod", "npadvmod") and c.i > t.i and c.i not in dropped for c in verb.children):
                return None  # the verb's own qualifier lies past the cut: "eats five meals, ..., daily"
            break
        if t.i in dropped:
            if t.i not in skip and not t.is_punct and not t.is_space:
                gap = True  # a clause left out: what follows it may belong to it ("... the C-team")
            continue
        if gap:
            break
        rest.append(t)
    kept = {r.i for r in rest}
    doc = verb.doc
    if any(
        not t.whitespace_ and t.i + 1 < len(doc) and t.i + 1 not in kept and doc[t.i + 1].text in "-/" for t in rest
    ):
        return None  # a word split at its hyphen ("teamed up -")
    if any(c.dep_ in _COMPLEMENTS and c.i not in skip and c.i not in kept for c in verb.children):
        return None  # the verb would lose its object or complement
    return rest


def _inside_date(comma: Any) -> bool:
    """The comma of "April 7, 1840": a day number before it and a year after it."""
    doc = comma.doc
    if comma.i == 0 or comma.i + 1 >= len(doc):
        return False
    day, year = doc[comma.i - 1], doc[comma.i + 1]
    return bool(re.fullmatch(r"\d{1,2}", day.text) and re.fullmatch(r"1\d{3}|20\d{2}", year.text))


def source_defect(verb: Any, arg: Any, role: str, own_subject: Any) -> str | None:
    """What the source clause itself says against a question on it (the question would change
    who did what, or drop what the answer depends on); None when it is fit."""
    children = list(verb.children)
    if sum(c.dep_ == "dobj" for c in children) > 1:
        return "two_objects"  # "saw a flurry of Python 3 patches" parsed with two objects: a misparse
    args = [c for c in children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "dative")]
    args += [g for c in children if c.dep_ in ("prep", "agent") for g in c.children if g.dep_ == "pobj"]
    if any(d.dep_ == "det" and d.lower_ in _NO_DETS for a in args for d in a.children):
        return "negated_argument"  # "she spoke no English" is no "Which language did she speak?"
    if role == "pp" and verb.dep_ == "relcl" and verb.head.dep_ == "dobj" and verb.head.head.lemma_ != "be":
        return "relative_attachment"  # "wore a gown that showed off her hips to the Awards": the pp may be "wore"'s
    before = verb.doc[arg.i - 1] if role == "pp" and arg.i > verb.i + 1 else None
    if before is not None and before.lower_ in _BARE_PARTICIPLES and before.tag_.startswith("NN"):
        return "participle_attachment"  # "broke the record of 119 set in 1989": 1989 is when it was set
    if any(t.dep_ == "conj" and t.ent_type_ == "PERSON" and t.head.pos_ == "NOUN" for t in verb.subtree):
        return "mixed_conjunction"  # "for his first career shutout and Tony Clark": a clause run into a pp
    if role == "pp" and verb.lemma_.lower() == "be" and any(c.dep_ == "attr" for c in children):
        return "copular_qualifier"  # "the most-watched Awards in recent years": the pp qualifies, it is no event time
    if role == "pp" and arg.i < verb.i:
        subject_ids = {t.i for t in own_subject.subtree} if own_subject is not None else set()
        between = verb.doc[arg.i + 1 : verb.i]
        clauses = [t for t in between if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass")]
        if any(t.i not in subject_ids for t in clauses):
            return "crossed_clause"  # "until October 2019, when I removed it before X was released"
    lemma = verb.lemma_.lower()
    if lemma in SPEECH_LEMMAS and not any(c.dep_ in ("ccomp", "xcomp") for c in children):
        return "nothing_said"  # "Who told JIS News?": what was said is the point
    said = [c for c in children if c.dep_ == "xcomp" and c.lemma_.lower() in SPEECH_LEMMAS]
    if any(not any(g.dep_ in ("ccomp", "xcomp") for g in c.children) for c in said):
        return "nothing_said"  # "Who is alleged to have told Ilse Brandt?": what was told is left out
    if own_subject is not None and own_subject.head == verb and verb.tag_ in ("VBD", "VBN") and verb.i >= 2:
        sub = list(own_subject.subtree)
        lone = verb.doc[verb.i - 1].text == "," and not any(t.text == "," for t in sub if t.i < verb.i - 1)
        if lone and max(t.i for t in sub if not t.is_punct) == verb.i - 2:
            return "participle_apposition"  # "Stevens, forced to sit out ..., enjoyed": not "Smith, 45, said"
    if (
        lemma in NEEDS_OBJECT
        and role != "obj"
        and not any(
            c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp", "oprd", "auxpass", "nsubjpass", "prt")
            for c in children
        )
    ):
        return "object_left_out"  # "... that it launched in 2020" -> "When did it launch?"
    return None


def _subject_tokens(subject: Any, verb: Any) -> list[Any]:
    """The subject's tokens; a relative pronoun's are those of the noun phrase it refers to."""
    if verb.dep_ == "relcl" and subject.lower_ in _RELATIVE:
        skip = {t.i for t in verb.subtree}
        tokens = [t for t in verb.head.subtree if t.i not in skip and t.i < verb.i]
        while tokens and tokens[-1].text in _CUT:
            tokens.pop()
        return tokens
    return list(subject.subtree)


def _subject_phrase(subject: Any, verb: Any, named: frozenset[int] = frozenset()) -> str | None:
    """The subject as it reads after the auxiliary; a relative pronoun ("who", "which") is
    replaced by the noun phrase it refers to, without the relative clause. ``named``: where
    names start in the parse (its character offsets): a name keeps its capital whatever its tag
    ("Cheeks returned", a NOUN to spaCy, made "When did cheeks return ...?")."""
    tokens = _subject_tokens(subject, verb)
    if not tokens or len(tokens) > MAX_SUBJECT or any(t.text in _CUT or t.dep_ == "relcl" for t in tokens):
        return None
    if any(t.tag_ in ("WP", "WDT", "WP$", "WRB") for t in tokens):  # "most of whom"
        return None
    text = _text(tokens)
    first = tokens[0]
    if first.pos_ != "PROPN" and first.text != "I" and not first.text.isupper() and first.idx not in named:
        text = text[:1].lower() + text[1:]
    return text


def question_for(span: Any, label: str, named: frozenset[int] = frozenset()) -> tuple[str, str] | None:
    """(question, question type) whose answer is the mention ``span`` (a spaCy Span); ``named``:
    the parse's character offsets where names start."""
    root = span.root
    role, verb, arg, prep, noun = None, None, root, None, None
    if root.dep_ in ("nsubj", "nsubjpass"):
        role, verb = "subj", root.head
    elif root.dep_ == "dobj" or (root.dep_ == "attr" and root.head.lemma_ == "be"):
        role, verb = "obj", root.head
    elif root.dep_ == "pobj" and root.head.dep_ in ("prep", "agent", "dative"):
        role, verb, prep = "pp", root.head.head, root.head.text.lower()
        arg = root.head
    elif root.dep_ == "nummod" and label == "CARDINAL" and root.head.dep_ in ("dobj", "nsubj"):
        noun = root.head
        role, verb, arg = ("count_obj" if noun.dep_ == "dobj" else "count_subj"), noun.head, noun
    if role is None or verb is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    own_subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if verb.dep_ == "conj" and own_subject is None and verb.head.dep_ == "ROOT" and role not in ("subj", "count_subj"):
        # "William conquered England and invaded Scotland": the second verb shares the subject
        own_subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    elif verb.dep_ not in _CLAUSES or (verb.dep_ != "ROOT" and own_subject is None):
        return None
    if own_subject is None or (verb.dep_ == "relcl") != (own_subject.lower_ in _RELATIVE):
        return None  # a relative clause is used only when its subject is the relative pronoun
    if not is_asserted(*assertion(verb)) or quotation(verb.sent.text, verb.idx - verb.sent.start_char):
        return None  # only affirmative, declarative clauses (dataforge.lib.assertion) become answers
    if own_subject.tag_ == "CD" or (verb.lemma_ == "be" and own_subject.lower_ in ("it", "this", "that", "there")):
        return None  # "seven were identified" (seven of what?), "it was about 33 degrees" (it is no referent)
    if noun is not None:
        if list(noun.children) != [root] or not re.fullmatch(r"[a-z]+s|people", noun.text):
            return None
        answer_ids = {root.i}
        wh, qtype = f"How many {noun.text}", "how_many"
        skip = {t.i for t in noun.subtree}
    else:
        answer_ids = _answer_tokens(root, span)
        if label == "QUANTITY" and re.fullmatch(r"[A-Za-z0-9]+-[a-z]+", span.text):
            return None  # "a five-hitter", "a two-run homer": a word of its own, no amount to ask "How much" of
        made = _wh(label, "pp" if role == "pp" else role, prep, span.text)
        if made and role == "pp" and verb.lemma_ == "be" and prep in ("from", "to", "into", "past", "off"):
            return None  # "From which place was Jordan on a ship 200 miles from North Carolina?"
        if answer_ids is None or made is None:
            return None
        wh, qtype = made
        skip = {t.i for t in arg.subtree}
    if source_defect(verb, arg, role, own_subject):
        return None
    skip |= {c.i for c in verb.children if c.dep_ == "advmod" and c.lower_ in _LINKING}
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    if (auxes[0].tag_ if auxes else verb.tag_) not in ("VBD", "VBZ", "VBP", "MD"):
        return None  # no finite verb: a participle or a fragment
    between = (
        [t for t in verb.doc[own_subject.i + 1 : verb.i] if t.dep_ == "advmod" and t.i not in skip]
        if own_subject.head == verb
        else []
    )
    subject_ids = {t.i for t in own_subject.subtree}
    if any(t.pos_ == "AUX" and t.i not in subject_ids and t not in auxes for t in verb.doc[own_subject.i + 1 : verb.i]):
        return None  # an auxiliary the parse hung elsewhere would be lost: "Who forced to sit out qualifying?"
    if role in ("subj", "count_subj"):
        rest = _clause(verb, skip, None)
        if rest is None or own_subject is None or own_subject.i != (root.i if noun is None else noun.i):
            return None
        if any(a.lemma_.lower() == "do" for a in auxes):
            return None  # an emphatic "did" asks nothing in a subject question: "Who did lead the Sixers ...?"
        body = [wh, _text(auxes + between + [verb]), _text(rest)]
    else:
        if own_subject is None or any(t.i in skip for t in own_subject.subtree):
            return None
        subject = _subject_phrase(own_subject, verb, named)
        rest = _clause(verb, skip, own_subject)
        if subject is None or rest is None:
            return None
        if auxes:
            body = [wh, auxes[0].text, subject, _text(auxes[1:] + between + [verb]), _text(rest)]
        elif verb.lemma_ == "be":
            body = [wh, verb.text, subject, _text(between), _text(rest)]
        elif verb.tag_ in _DO:
            body = [wh, _DO[verb.tag_], subject, _text(between), verb.lemma_.lower(), _text(rest)]
        else:
            return None
    question = join_question(*body)
    answer = span.text
    if len(question.split()) > MAX_WORDS or len(question.split()) < 3 or answer.lower() in question.lower():
        return None
    return question, qtype


def _crosses(sent: Any, offset: int, mention: dict[str, Any]) -> bool:
    """The parser's sentence runs on past the end of the splitter's (a list marker: "... in Los
    Angeles 4. Manny ..."): its clause would carry the next words into the question. (A start
    before the splitter's is a dateline or headline cut off as a block, not a run-on.)"""
    end = mention.get("sentence_end")
    if not isinstance(end, int):
        return False
    return bool(re.search(r"\w", sent.doc.text[min(sent.end_char, end - offset) : sent.end_char]))


def candidates(ctx: DocContext, parses: list[tuple[int, Any]]) -> list[tuple[dict[str, Any], str, str]]:
    """(mention, question, question type) for every mention the parse can ask about."""
    parses = sorted(parses or [], key=lambda p: p[0])
    offsets = [offset for offset, _ in parses]
    ends = [offset + len(doc.text) for offset, doc in parses]  # Doc.text joins every token: once per parse
    out = []
    named_in: dict[int, set[int]] = {}  # parse -> where names start in it
    for m in ctx.mentions:
        if m["label"] in ENTITY_LABELS and (k := bisect.bisect_right(offsets, m["start"]) - 1) >= 0:
            named_in.setdefault(k, set()).add(m["start"] - offsets[k])
    for m in ctx.mentions:
        i = bisect.bisect_right(offsets, m["start"]) - 1
        if i < 0:
            continue
        offset, doc = parses[i]
        if m["end"] > ends[i]:
            continue
        span = doc.char_span(m["start"] - offset, m["end"] - offset, alignment_mode="strict")
        if span is None or span.text != m["text"]:
            continue
        if _crosses(span.sent, offset, m):
            continue  # the parser ran two of our sentences together ("... in Los Angeles 4."): no clean clause
        made = question_for(span, m["label"], frozenset(named_in.get(i, ())))
        if made:
            out.append((m, *made))
    return out
