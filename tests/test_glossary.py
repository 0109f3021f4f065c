"""The shipped bilingual lexicon (``corpus/glossary.yaml``): it loads, its English forms are unambiguous, generic
question words never fire an entry, and common English (and Indonesian) wordings reach the corpus vocabulary."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from assistant.glossary import Glossary, load_glossary
from assistant.index.analysis import tokenize

GLOSSARY = Path(__file__).resolve().parents[1] / "corpus" / "glossary.yaml"

# English forms deliberately listed in more than one entry (form -> why). Empty: every form has one meaning here.
SHARED_ENGLISH: dict[str, str] = {}

# Words that occur in almost every question: an entry holding one of them would fire on everything.
NEVER_FORMS = set(
    "the a an what which who whom how is are was be do does can may must should will of in on for to and or it this"
    " that there program programme programs programmes question answer please about"
    " yang dan di apa apakah berapa siapa dapat ada untuk dengan".split()
) | {"can we", "can i", "may we", "may i"}


@cache
def glossary() -> Glossary:
    return load_glossary(GLOSSARY)


def test_the_lexicon_loads_and_every_entry_has_both_languages() -> None:
    terms = glossary().terms
    assert len(terms) >= 400
    for term in terms:
        assert term.indonesian and term.english, term
        assert all(form.strip() == form and form for form in term.forms), term
        assert term.description and len(term.description) <= 200, term.indonesian[0]


def test_no_english_form_belongs_to_two_entries() -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for term in glossary().terms:
        for form in {f.lower() for f in term.english}:
            owners[form].append(term.indonesian[0])
    shared = {form: entries for form, entries in owners.items() if len(entries) > 1}
    assert set(shared) == set(SHARED_ENGLISH), shared


def test_no_english_form_is_an_indonesian_form_or_acronym_of_another_entry() -> None:
    """'cap' as an English word for a ceiling must not also be the Indonesian word for a stamp elsewhere."""
    owner = {}
    for number, term in enumerate(glossary().terms):
        for form in term.indonesian + ((term.acronym,) if term.acronym else ()):
            owner.setdefault(form.lower(), set()).add(number)
    clashes = [
        (form, term.indonesian[0])
        for number, term in enumerate(glossary().terms)
        for form in term.english
        if owner.get(form.lower(), {number}) - {number}
    ]
    assert not clashes


def test_generic_words_are_never_forms() -> None:
    forms = {form.lower() for term in glossary().terms for form in term.forms}
    assert not forms & NEVER_FORMS
    assert glossary().expansions("What is it, and how can we do that?") == []
    assert glossary().expansions("Apa yang dapat dilakukan untuk itu?") == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many instalments are there?", {"termin"}),
        ("How many installments are there?", {"termin"}),
        ("Who may submit a proposal?", {"pengusul"}),
        ("Is a personal bank account allowed?", {"rekening", "boleh"}),
        ("Which costs are ineligible?", {"biaya yang tidak diperbolehkan"}),
        ("What are the elements of the quadruple helix?", {"unsur", "ABG+C"}),
        ("Who were the presenters at the socialization?", {"pemateri", "sosialisasi"}),
        ("Who were the speakers?", {"narasumber", "pemateri"}),
        ("Must receipts be kept?", {"kuitansi"}),
        ("What font size and line spacing apply?", {"huruf", "spasi"}),
        ("What are the page margins?", {"batas kiri"}),
        ("What happens if the progress report is late?", {"laporan kemajuan", "terlambat", "sanksi"}),
        ("When is the site visit held?", {"kunjungan lapangan"}),
        ("What equipment did the nutmeg cluster receive?", {"peralatan", "pala", "klaster"}),
        ("Which clusters are in South Sulawesi?", {"Sulawesi Selatan"}),
        ("What happened on 3 May 2019?", {"Mei"}),
        ("Berapa plafon dana tahap pendampingan?", {"pagu"}),
        ("Siapa narasumber sosialisasi?", {"pembicara"}),
    ],
)
def test_common_wordings_reach_the_corpus_vocabulary(question: str, expected: set[str]) -> None:
    found = set(glossary().expansions(question))
    assert expected <= found, (question, expected - found)


def test_the_modal_may_is_not_the_month() -> None:
    assert "Mei" not in glossary().expansions("Who may apply and what may the grant pay for?")


def test_expansions_become_keywords_the_index_understands() -> None:
    """An English question alone has no Indonesian keywords; its expansion does (stemmed like the documents)."""
    question = "How many instalments are there and which documents are needed for disbursement?"
    assert "termin" not in tokenize(question)
    keywords = set(tokenize(glossary().expand(question)))
    assert {"termin", "cair", "berkas"} <= keywords


def _every_pattern(glossary: Glossary, question: str) -> list[str]:
    """The plain definition: try every form of every entry as a whole word or phrase, in entry order."""
    text = question.lower()
    extra: list[str] = []
    for term, patterns in zip(glossary.terms, _all_patterns(glossary), strict=True):
        if any(p.search(text) for p in patterns):
            for form in term.indonesian + ((term.acronym,) if term.acronym else ()):
                if form.lower() not in text and form not in extra:
                    extra.append(form)
    return extra


@cache
def _all_patterns(glossary: Glossary) -> tuple[tuple[re.Pattern[str], ...], ...]:
    return tuple(
        tuple(re.compile(r"(?<![\w+])" + re.escape(f.lower()) + r"(?![\w+])") for f in term.forms if f)
        for term in glossary.terms
    )


def test_expansions_equal_trying_every_form() -> None:
    """Only forms whose leading word is in the question are tried; that must not lose or add a match, also
    where a form is glued to a neighbour, stands inside a longer word, or follows a '+' or punctuation."""
    terms = glossary().terms
    forms = [form for term in terms for form in term.forms]
    separators = [" and ", "/", "+", "-", "s ", ", ", "x", "("]
    questions = [
        "What is " + "".join(f"{form}{separators[(n + i) % 8]}" for i, form in enumerate(forms[n : n + 8])) + "?"
        for n in range(0, len(forms), 8)
    ]
    questions += ["Bagaimana usulan PUD-nya?", "Apakah PUDING termasuk?", "ABG+C atau ABG+Cs?"]
    fresh = Glossary(terms)
    mismatches = [q for q in questions if fresh.expansions(q) != _every_pattern(fresh, q)]
    assert not mismatches, mismatches[:5]


def test_a_remembered_expansion_is_not_changed_by_its_caller() -> None:
    fresh = Glossary(glossary().terms)
    question = "Who may submit a proposal?"
    first = fresh.expansions(question)
    first.append("dirusak")
    assert fresh.expansions(question) == _every_pattern(fresh, question)
    assert fresh == glossary() and hash(fresh) == hash(glossary())
