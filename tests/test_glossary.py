"""The catalogues keep to locale/GLOSSARY.md: one term per concept in each language, "je" in
Dutch. A rule names the English words that mark the concept in a msgid, the word its Dutch
translation must use, and the words no Dutch string may use."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
DUTCH = polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po"))
ENGLISH = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))

# (concept, msgid pattern, the Dutch word required, Dutch words refused everywhere)
RULES = [
    ("two-factor", r"two-factor", r"tweestapsverificatie", r"twee-?factor"),
    ("facilitator", r"facilitat", r"gespreksleider", r"(?<!werkplek)begeleider"),
    ("takeaway", r"(?<!/)takeaway", r"inzicht", r"(?<!/)takeaway"),
    ("insights", r"(?-i:\bInsights\b)", r"cijfers", None),
    ("Google Calendar", r"Google Calendar", r"Google Agenda", r"Google Calendar"),
    ("call for proposals", r"call for proposals", r"oproep voor bijdragen", r"call for proposals"),
    ("series", r"\bseries\b", r"reeks", r"\bseries?\b"),
]


def _texts(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [text for text in entry.msgstr_plural.values() if text]
    return [entry.msgstr] if entry.msgstr else []


def _ids(entry: polib.POEntry) -> str:
    return f"{entry.msgid} {entry.msgid_plural or ''}"


@pytest.mark.parametrize(
    ("concept", "english", "dutch", "refused"), RULES, ids=[r[0] for r in RULES]
)
def test_dutch_catalogue_uses_one_word_per_concept(concept, english, dutch, refused):
    wrong = []
    for entry in DUTCH:
        if entry.obsolete:
            continue
        texts = _texts(entry)
        marks_concept = re.search(english, _ids(entry), re.IGNORECASE)
        for text in texts:
            if marks_concept and not re.search(dutch, text, re.IGNORECASE):
                wrong.append(f"{entry.msgid!r} → {text!r}: use {dutch!r}")
            if refused and re.search(refused, text, re.IGNORECASE):
                wrong.append(f"{entry.msgid!r} → {text!r}: not {refused!r}")
        if concept == "insights" and marks_concept:
            wrong += [
                f"{entry.msgid!r} → {t!r}: insights are not inzichten"
                for t in texts
                if re.search("inzicht", t, re.IGNORECASE)
            ]
    assert wrong == []


def test_dutch_says_je_never_u():
    formal = re.compile(r"(^|[\s(“\"'])(u|uw|U|Uw)(?=[\s,.!?:;)”\"']|$)")
    assert [e.msgid for e in DUTCH if any(formal.search(t) for t in _texts(e))] == []


def test_english_catalogue_keeps_google_calendar():
    assert [
        e.msgid
        for e in ENGLISH
        if "Google Calendar" in e.msgid and not all("Google Calendar" in t for t in _texts(e))
    ] == []
