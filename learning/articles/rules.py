"""Article rules without the database: the limits on files and what a file really is.

A file's type is read from its first bytes (``filetype``), never from its name or the type the
browser claims; images are opened with Pillow as well, so a PNG header on something else fails.
"""

from __future__ import annotations

import io
import re

import filetype
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from communities.errors import DomainError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 10
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
DOCUMENT_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}
ALLOWED_TYPES = IMAGE_TYPES | DOCUMENT_TYPES
REVIEW_MONTHS_MIN, REVIEW_MONTHS_MAX = 1, 36
_UNSAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)


def safe_file_name(name: str) -> str:
    """The base name without path parts or odd characters, at most 120 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = " ".join(_UNSAFE_NAME.sub("_", base).split()).strip(". ")
    return (cleaned or "file")[:120]


def sniff_file(data: bytes, *, existing: int) -> str:
    """The content type of an upload read from its bytes, or a DomainError: too large, too many
    files on the article, or not a type we accept (PNG, JPEG, GIF, WebP, PDF, Office/ODF)."""
    if existing >= MAX_FILES:
        raise DomainError(
            _("An article has at most %(max)d files.") % {"max": MAX_FILES}, code="files"
        )
    if not data:
        raise DomainError(_("The file is empty."), code="file")
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            _("A file may be at most %(mb)d MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)},
            code="file",
        )
    kind = filetype.guess(data)
    content_type = kind.mime if kind is not None else ""
    if content_type not in ALLOWED_TYPES:
        raise DomainError(
            _("Only images (PNG, JPEG, GIF, WebP), PDF and Office or OpenDocument files."),
            code="file",
        )
    if content_type in IMAGE_TYPES:
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise DomainError(_("The image is too large."), code="file")
                image.verify()
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            SyntaxError,
            ValueError,
        ) as error:
            raise DomainError(_("The image cannot be read."), code="file") from error
    return content_type
