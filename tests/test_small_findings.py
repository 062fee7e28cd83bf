"""Small findings: the language cookie is Secure where the site is, a bad speaker photo is a
400, and ``next`` on the language switch is only ever a path on this site."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import SpeakerProfile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("secure", "flag"), [(True, True), (False, "")])
def test_profile_save_sets_the_language_cookie_with_the_secure_flag(
    client, member, settings, secure, flag
):
    settings.LANGUAGE_COOKIE_SECURE = secure
    client.force_login(member)
    response = client.post(
        "/me/",
        {"display_name": "Mia", "language": "en", "timezone": "Europe/Amsterdam", "team": ""},
    )
    assert response.status_code == 302
    cookie = response.cookies["kp_language"]
    assert (cookie.value, cookie["secure"], cookie["samesite"]) == ("en", flag, "Lax")


def test_language_switch_sets_the_cookie_with_the_secure_flag(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post("/language/", {"language": "en", "next": "/sessions/"})
    assert (response.status_code, response["Location"]) == (302, "/sessions/")
    assert response.cookies["kp_language"]["secure"] is True


@pytest.mark.parametrize(
    "next_url", ["²", "session_list", "https://evil.example/", "//evil.example/", "javascript:x"]
)
def test_language_switch_with_a_next_that_is_no_path_here_goes_home(client, next_url):
    response = client.post("/language/", {"language": "nl", "next": next_url})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_a_file_that_is_no_image_as_speaker_photo_is_a_400(client, member):
    client.force_login(member)
    client.cookies["kp_language"] = "en"
    upload = SimpleUploadedFile("me.png", b"not an image at all", content_type="image/png")
    response = client.post("/speakers/me/", {"bio": "Spreker.", "photo": upload})
    assert response.status_code == 400
    assert b"Upload a valid image" in response.content
    assert not SpeakerProfile.objects.filter(user=member).exists()


def test_a_valid_speaker_page_still_saves(client, member):
    client.force_login(member)
    response = client.post("/speakers/me/", {"bio": "Spreker."})
    assert (response.status_code, response["Location"]) == (302, f"/speakers/{member.pk}/")
