"""Speaker pages: bio and photo, edited by the speaker."""

from django.db import transaction
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import User
from communities.services.organisation import LOGO_CONTENT_TYPES
from events.models import SpeakerProfile

# --- speaker pages ----------------------------------------------------------------------------

MAX_PHOTO_BYTES = 512 * 1024


@transaction.atomic
def speaker_profile_update(
    *,
    user: User,
    bio: str,
    photo: tuple[bytes, str] | None = None,
    remove_photo: bool = False,
):
    """A speaker edits their own page: a short bio and a photo ((bytes, content type), checked
    by the form as PNG/JPEG/GIF/WebP ≤ 512 KB). Transaction: one. Idempotent."""

    bio = bio.strip()
    if len(bio) > 2000:
        raise DomainError(_("Keep your bio under 2000 characters."), code="too_long")
    if photo is not None and (
        photo[1] not in LOGO_CONTENT_TYPES.values() or len(photo[0]) > MAX_PHOTO_BYTES
    ):
        raise DomainError(
            _("The photo must be a PNG, JPEG, GIF or WebP image of at most 512 KB."),
            code="photo",
        )
    profile, _created = SpeakerProfile.objects.get_or_create(user=user)
    profile.bio = bio
    if remove_photo:
        profile.photo, profile.photo_content_type = None, ""
    elif photo is not None:
        profile.photo, profile.photo_content_type = photo
    profile.save()
    return profile
