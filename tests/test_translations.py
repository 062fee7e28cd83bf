"""The nl and en catalogues are complete, consistent and in step with the code (ARCHITECTURE.md rule 7).

- both catalogues exist, carry the right headers, have no untranslated or fuzzy entries, and every
  translation keeps the placeholders of its msgid;
- ``makemessages`` over the current code, written into a temporary copy of ``locale/``, finds no
  msgid without a translation (and no entry the code no longer uses);
- key strings render in Dutch under ``nl`` and in English under ``en``.

After changing translatable strings: ``make messages``, translate the new entries in
``locale/nl/LC_MESSAGES/django.po`` (and copy the msgid into ``locale/en``), ``make compilemessages``.
"""

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.utils import translation

from communities.models import Membership
from events.models import Session

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"
LANGUAGES = ("nl", "en")
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
IN_CI = os.environ.get("CI", "").lower() == "true"
# The same options as `make messages` / the documented makemessages command.
MAKEMESSAGES_OPTIONS = [
    "--ignore=.venv",
    "--ignore=var",
    "--ignore=bench",
    "--no-obsolete",
    "--add-location=file",
]

# %(name)s, %s, %d, %.2f ... (not %%); {name}, {0}, {} (not {{ or }}).
PYTHON_FORMAT = re.compile(
    r"%(?:\((\w+)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)
BRACE_FORMAT = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
NAMED_PLACEHOLDER = re.compile(r"%\((\w+)\)")


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


def load(language: str, locale_dir: Path = LOCALE_DIR) -> polib.POFile:
    path = po_path(language, locale_dir)
    assert path.is_file(), f"{path} is missing: run `make messages` and translate it"
    return polib.pofile(str(path))


def live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def label(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    where = ", ".join(sorted({path for path, _line in entry.occurrences}))
    return f"{context}{entry.msgid!r}" + (f"  ({where})" if where else "")


def need_gettext_tools() -> None:
    missing = [tool for tool in ("xgettext", "msgmerge", "msguniq") if not shutil.which(tool)]
    if missing:
        reason = (
            f"GNU gettext not installed ({', '.join(missing)} missing): apt-get install gettext"
        )
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


# 1. The committed catalogues ---------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_exists_with_language_and_plural_headers(language):
    po = load(language)
    assert po.metadata.get("Language") == language
    assert po.metadata.get("Plural-Forms") == PLURAL_FORMS
    assert "utf-8" in po.metadata.get("Content-Type", "").lower()
    assert not po.metadata_is_fuzzy, "remove the fuzzy flag from the catalogue header"
    assert len(live(po)) > 50, "the catalogue looks empty"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    po = load(language)
    untranslated = [label(e) for e in po.untranslated_entries()]
    fuzzy = [label(e) for e in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}:\n" + "\n".join(
        untranslated
    )
    assert not fuzzy, (
        f"{len(fuzzy)} fuzzy in {language} (check the translation, then drop the flag):\n"
        + "\n".join(fuzzy)
    )


def _placeholders(text: str, flags: list[str]) -> dict[str, object]:
    found: dict[str, object] = {"named": Counter(NAMED_PLACEHOLDER.findall(text))}
    if "python-format" in flags:
        specs = [m.group(0) for m in PYTHON_FORMAT.finditer(text) if m.group(0) != "%%"]
        # Positional ones (%s, %d) must keep their order; named ones may move.
        found["positional"] = [s for s in specs if not s.startswith("%(")]
        found["named-specs"] = Counter(s for s in specs if s.startswith("%("))
    if "python-brace-format" in flags:
        found["brace"] = Counter(BRACE_FORMAT.findall(text))
    found["template"] = Counter(re.findall(r"\{\{.*?\}\}|\{%.*?%\}", text))
    return found


def _show(found: dict[str, object]) -> str:
    return "; ".join(f"{kind}: {sorted(value)}" for kind, value in found.items() if value) or "none"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_msgid(language):
    problems = []
    for entry in live(load(language)):
        if entry.msgid_plural:
            pairs = [
                (entry.msgid if int(index) == 0 else entry.msgid_plural, text)
                for index, text in sorted(entry.msgstr_plural.items())
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, text in pairs:
            if not text:
                continue  # reported by the completeness test
            expected, got = _placeholders(source, entry.flags), _placeholders(text, entry.flags)
            if expected != got:
                problems.append(
                    f"{label(entry)}\n    msgstr {text!r}\n"
                    f"    expected {_show(expected)}, found {_show(got)}"
                )
    assert not problems, f"placeholders differ in {language}:\n" + "\n".join(problems)


def test_english_catalogue_repeats_the_english_source():
    different = []
    for entry in live(load("en")):
        if entry.msgid_plural:
            ok = entry.msgstr_plural == {0: entry.msgid, 1: entry.msgid_plural}
        else:
            ok = entry.msgstr == entry.msgid
        if not ok:
            different.append(label(entry))
    assert not different, "en msgstr differs from its msgid:\n" + "\n".join(different)


def test_dutch_catalogue_is_actually_dutch():
    """A copied msgid is no translation; only a few words are the same in both languages."""
    entries = live(load("nl"))
    same = [e for e in entries if not e.msgid_plural and e.msgstr == e.msgid]
    assert len(same) < len(entries) * 0.2, "too many nl entries equal their English msgid:\n" + (
        "\n".join(label(e) for e in same)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_compiles_with_msgfmt_check(language, tmp_path):
    if not shutil.which("msgfmt"):
        if IN_CI:
            pytest.fail("msgfmt not installed: apt-get install gettext")
        pytest.skip("msgfmt not installed")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po_path(language))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# 2. In step with the code --------------------------------------------------------------------


@pytest.fixture(scope="module")
def regenerated_locale(tmp_path_factory) -> Path:
    """Run makemessages over the current code into a copy of locale/, never the real one.

    makemessages writes into every ``locale`` directory it finds under its working directory
    (and into ``./locale``) before LOCALE_PATHS, so it cannot run in the project root without
    touching the committed catalogues. It runs instead in a mirror of the project: a symlink to
    every top-level entry except ``locale``, plus a copy of ``locale``; KENNISPLEIN_LOCALE_DIR
    points LOCALE_PATHS at that copy as well. File paths (and so the location comments) stay
    the same as in the project root.
    """
    need_gettext_tools()
    mirror = tmp_path_factory.mktemp("project")
    for entry in ROOT.iterdir():
        if entry.name != "locale":
            (mirror / entry.name).symlink_to(entry)
    shutil.copytree(LOCALE_DIR, mirror / "locale", ignore=shutil.ignore_patterns("*.mo"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "KENNISPLEIN_LOCALE_DIR": str(mirror / "locale"),
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            *(f"--locale={language}" for language in LANGUAGES),
            "--symlinks",
            *MAKEMESSAGES_OPTIONS,
        ],
        cwd=mirror,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    return mirror / "locale"


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_the_code_has_a_translation(regenerated_locale, language):
    po = load(language, regenerated_locale)
    # New msgids come out untranslated, or fuzzy when msgmerge guessed from a similar one.
    missing = [label(e) for e in live(po) if not e.translated()]
    assert not missing, (
        f"{len(missing)} string(s) in the code have no {language} translation; run "
        f"`make messages` and translate them in locale/{language}/LC_MESSAGES/django.po:\n"
        + "\n".join(missing)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_entries_the_code_no_longer_uses(regenerated_locale, language):
    in_code = {_key(e) for e in live(load(language, regenerated_locale))}
    stale = [label(e) for e in live(load(language)) if _key(e) not in in_code]
    assert not stale, (
        f"{len(stale)} msgid(s) in locale/{language} are no longer in the code; run "
        "`make messages` (it drops them):\n" + "\n".join(stale)
    )


# 3. Rendered ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compiled_locale(tmp_path_factory) -> Path:
    """The committed .po files compiled (polib) into a temporary LOCALE_PATHS entry.

    The .mo files in locale/ are build output (`make install`) and may be missing or stale.
    """
    target = tmp_path_factory.mktemp("locale")
    for language in LANGUAGES:
        out = target / language / "LC_MESSAGES"
        out.mkdir(parents=True)
        load(language).save_as_mofile(str(out / "django.mo"))
    return target


@pytest.fixture
def catalogues(compiled_locale):
    with override_settings(LOCALE_PATHS=[compiled_locale]):
        yield


def _render_base(language: str) -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override(language):
        return render_to_string("base.html", request=request)


EXPECTED_PAGE = {
    "nl": [
        ">Direct naar de hoofdinhoud</a>",
        ">Inloggen</a>",
        ">Registreren</a>",
        'aria-label="Hoofdmenu"',
        ">Taal</label>",
        "kennis delen binnen je organisatie.",
    ],
    "en": [
        ">Skip to main content</a>",
        ">Log in</a>",
        ">Sign up</a>",
        'aria-label="Main"',
        ">Language</label>",
        "knowledge sharing inside your organisation.",
    ],
}


@pytest.mark.django_db  # the organisation settings (name, logo, colour) come from the database
@pytest.mark.parametrize("language", LANGUAGES)
def test_base_page_renders_in_the_active_language(catalogues, language):
    html = _render_base(language)
    missing = [snippet for snippet in EXPECTED_PAGE[language] if snippet not in html]
    assert not missing, f"not in the {language} page: {missing}"
    other = "en" if language == "nl" else "nl"
    leaked = [s for s in EXPECTED_PAGE[other] if s in html and s not in EXPECTED_PAGE[language]]
    assert not leaked, f"{other} text in the {language} page: {leaked}"


def test_code_strings_and_plurals_render_in_dutch_and_english(catalogues):

    with translation.override("nl"):
        assert str(Membership.Role.COORDINATOR.label) == "coördinator"
        assert str(Session.Format.BROWN_BAG.label) == "brown-bag lunch"
        assert str(Session.Format.KNOWLEDGE_SESSION.label) == "kennissessie"
        assert translation.gettext("Log in") == "Inloggen"
        assert translation.gettext("Log out") == "Uitloggen"
        assert translation.gettext("Time zone") == "Tijdzone"
        one, many = (
            translation.ngettext("%(counter)s member", "%(counter)s members", n) % {"counter": n}
            for n in (1, 3)
        )
        assert (one, many) == ("1 lid", "3 leden")
    with translation.override("en"):
        assert str(Membership.Role.COORDINATOR.label) == "coordinator"
        assert translation.gettext("Log in") == "Log in"
        one, many = (
            translation.ngettext("%(counter)s member", "%(counter)s members", n) % {"counter": n}
            for n in (1, 3)
        )
        assert (one, many) == ("1 member", "3 members")
