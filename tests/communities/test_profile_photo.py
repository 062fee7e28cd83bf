"""A person's photo: uploaded on /me/, limited in type and size, shown to colleagues as their
avatar, in the data export, gone with the account."""

import base64
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communities.models import ProfilePhoto
from communities.services.accounts import account_erase
from communities.templatetags.ui import initials
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def image(format_name: str, size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1f6feb").save(buffer, format=format_name)
    return buffer.getvalue()


def test_upload_shows_the_photo_as_the_avatar_to_colleagues(client):
    person = UserFactory(display_name="Fien Foto")
    colleague = UserFactory()
    client.force_login(person)

    response = client.post(
        "/me/photo/", {"photo": SimpleUploadedFile("me.png", image("PNG"), "image/png")}
    )
    person.refresh_from_db()
    client.force_login(colleague)
    served = client.get(f"/people/{person.pk}/photo")
    client.force_login(person)
    page = client.get("/").content.decode()

    assert response.status_code == 302
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert served.content == image("PNG")
    version = int(person.photo_updated.timestamp())
    assert f'src="/people/{person.pk}/photo?v={version}"' in page


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("me.gif", image("GIF"), "image/gif"),
        ("big.png", image("PNG", size=(900, 900)) + b"\0" * 300_000, "image/png"),
        ("fake.png", b"not an image", "image/png"),
    ],
)
def test_other_types_and_large_files_are_refused(client, name, content, content_type):
    person = UserFactory()
    client.force_login(person)

    response = client.post("/me/photo/", {"photo": SimpleUploadedFile(name, content, content_type)})

    assert response.status_code == 400
    assert not ProfilePhoto.objects.filter(user=person).exists()


def test_without_a_photo_the_avatar_is_initials_on_the_person_colour(client):
    person = UserFactory(display_name="Mia van Dijk")
    client.force_login(person)

    page = client.get("/me/").content.decode()

    found = re.search(r'class="avatar avatar-lg tone-(\d)"[^>]*>\s*([A-Z?]+)\s*</span>', page)
    assert found.groups() == (str(person.pk % 8), "MD")
    assert initials("sanne.de.vries@example.org") == "SV"
    assert initials("Mia") == "MI"


def test_remove_the_photo(client):
    person = UserFactory()
    client.force_login(person)
    client.post("/me/photo/", {"photo": SimpleUploadedFile("me.png", image("PNG"), "image/png")})

    client.post("/me/photo/", {"remove_photo": "on"})
    person.refresh_from_db()

    assert person.photo_updated is None
    assert client.get(f"/people/{person.pk}/photo").status_code == 404


def test_the_photo_is_in_the_export_and_gone_with_the_account(client):
    person = UserFactory()
    client.force_login(person)
    client.post("/me/photo/", {"photo": SimpleUploadedFile("me.jpg", image("JPEG"), "image/jpeg")})

    exported = json.loads(client.get("/me/data.json").content)
    account_erase(user=person)

    [photo] = exported["profile_photo"]
    assert photo["content_type"] == "image/jpeg"
    assert base64.b64decode(photo["base64"]) == image("JPEG")
    assert exported["profile"][0]["photo_updated"] is not None
    assert not ProfilePhoto.objects.exists()
