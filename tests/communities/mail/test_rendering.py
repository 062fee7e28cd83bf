"""Mail text is text: subjects and text/plain bodies carry titles and names as written; only
the HTML part escapes them. Every mail template is rendered with ``& " ' < >`` in every title,
name and community name it can show."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from communities.mail.rendering import SharedRenderer, render_message
from learning.mail import render_plain

pytestmark = pytest.mark.django_db
NASTY = """Data & AI "BJ" 'x' <b>"""
ENTITIES = ("&amp;", "&quot;", "&#x27;", "&#39;", "&lt;", "&gt;")
TEMPLATES = sorted(
    path.name.removesuffix("_subject.txt")
    for path in (Path(settings.BASE_DIR) / "templates" / "mail").glob("*_subject.txt")
)


def nasty_context() -> dict:
    community = SimpleNamespace(name=NASTY, purpose=NASTY, slug="c")
    session = SimpleNamespace(
        title=NASTY, community=community, location=NASTY, online_url="", guest_speaker=NASTY,
        cancel_reason=NASTY, url="/s/", format="talk", pk=1, start=None, end=None,
        timezone="Europe/Amsterdam",
    )  # fmt: skip
    person = SimpleNamespace(name=NASTY, email="p@example.org", timezone="Europe/Amsterdam")
    return {
        "recipient": person,
        "subject_object": session,
        "session": session,
        "community": NASTY,
        "group": NASTY,
        "title": NASTY,
        "name": NASTY,
        "names": NASTY,
        "festival": NASTY,
        "speaker": NASTY,
        "author": NASTY,
        "reason": NASTY,
        "motivation": NASTY,
        "method_name": NASTY,
        "audience": NASTY,
        "kind": "new",
        "count": 2,
        "announcement": SimpleNamespace(subject=NASTY, body=NASTY),
        "takeaway": SimpleNamespace(title=NASTY, session=session, url="/t/"),
    }


def test_every_mail_kind_is_covered():
    assert len(TEMPLATES) >= 20
    assert "calendar_request" in TEMPLATES


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_text_parts_are_not_html_escaped(template, language):
    has_html = (Path(settings.BASE_DIR) / "templates" / "mail" / f"{template}.html").exists()
    # Mail without an HTML template of its own (learning's) is rendered as plain text, and the
    # outbox builds its HTML part from that text.
    render = render_message if has_html else render_plain
    message = render(template=template, context=nasty_context(), language=language)
    for entity in ENTITIES:
        assert entity not in message.subject, (template, message.subject)
        assert entity not in message.text, (template, message.text)
    if has_html:
        # The HTML part escapes what it shows: the raw title never gets in.
        assert NASTY not in message.html


def test_titles_read_as_written_in_subject_and_text():
    message = render_message(template="calendar_request", context=nasty_context(), language="en")
    assert message.subject == f"Invitation: {NASTY}"
    assert f"Hello {NASTY}," in message.text
    assert "Data &amp; AI &quot;BJ&quot; &#x27;x&#x27; &lt;b&gt;" in message.html


def has_html(template: str) -> bool:
    return (Path(settings.BASE_DIR) / "templates" / "mail" / f"{template}.html").exists()


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_a_shared_rendering_gives_the_bytes_of_a_personal_one(template, language):
    """Rendering once and filling in the names is invisible: every template, two people with
    names that need escaping (or spacing that the subject folds), the same bytes."""
    context = nasty_context()
    del context["recipient"]
    renderer = SharedRenderer()
    people = [
        SimpleNamespace(name=NASTY, email="a@example.org", timezone="Europe/Amsterdam"),
        SimpleNamespace(
            name="Anouk  de  Vries", email="b@example.org", timezone="Europe/Amsterdam"
        ),
    ]
    for person in people:
        shared = renderer.render(template=template, context=context, recipient=person,
                                 language=language, share_key="same")  # fmt: skip
        render = render_message if has_html(template) else render_plain
        alone = render(template=template, context={**context, "recipient": person},
                       language=language)  # fmt: skip
        assert shared == alone


def test_a_template_that_reads_more_of_the_recipient_is_rendered_per_person():
    renderer = SharedRenderer()
    journey = SimpleNamespace(newcomer_id=1, buddy_id=2, supervisor=SimpleNamespace(name="S"),
                              buddy=SimpleNamespace(name="B"), newcomer=SimpleNamespace(name="N"),
                              template=SimpleNamespace(title="T"), start_date=None, url="/j/")  # fmt: skip
    texts = []
    for pk in (1, 2):
        person = SimpleNamespace(pk=pk, name=f"P{pk}", timezone="UTC")
        rendered = renderer.render(template="journey_started", context={"journey": journey},
                                   recipient=person, language="en", share_key="journey")  # fmt: skip
        texts.append(rendered.text)
    assert "Welcome!" in texts[0] and "You are the buddy" in texts[1]
