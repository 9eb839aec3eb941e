"""A picture for every person: an uploaded avatar, or their initials in a coloured circle.

An upload is opened with Pillow, turned upright by its EXIF orientation, cropped to the
middle square and resized to AVATAR_SIZE, then encoded afresh from its pixels as PNG: nothing
of the original file (EXIF, GPS position, camera serial, comments, a polyglot payload) is
kept. It is saved through Django's default storage under a new random name, so several web
servers share it and a replaced picture never lingers in a browser's or proxy's cache; the
old file is deleted from storage once the change is committed.

Pillow (a new dependency) is what Django's own ImageField validation uses, and the only
maintained Python library that decodes and re-encodes every common image format.
"""

from __future__ import annotations

import hashlib
import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from portal.accounts.models import Profile

AVATAR_SIZE = 128  # px: drawn at 40 px beside posts and 96 px on a profile, on 2x screens too
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
# A picture bigger than this is refused before it is decoded (a "decompression bomb").
MAX_PIXELS = 40_000_000
# The initials' background: six tints in site.css ("Reading density"), picked from the
# person's id so the same person always wears the same one.
INITIALS_TINTS = 6


def avatar_clean(upload) -> bytes:
    """The upload as a square PNG of AVATAR_SIZE px with no metadata, or a ValidationError
    saying what is wrong in words the person can act on."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "Choose a picture of 2 MB or less (this one is %(size).1f MB).",
            code="too_big",
            params={"size": upload.size / 1024 / 1024},
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError("Choose a JPEG, PNG, WebP or GIF picture.", code="wrong_type")
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError("Choose a smaller picture.", code="too_many_pixels")
            image.seek(0)  # an animated GIF: its first frame
            upright = ImageOps.exif_transpose(image)
            square = ImageOps.fit(
                upright.convert("RGBA"), (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS
            )
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise ValidationError(
            "That file is not a picture we can read. Choose a JPEG, PNG, WebP or GIF picture.",
            code="wrong_type",
        ) from error
    # A new image from the pixels alone: Image.new + paste carries no info dict across.
    clean = Image.new("RGBA", square.size)
    clean.paste(square)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def avatar_file_discard(name: str) -> None:
    """Delete a picture no profile points at any more, once the change that let go of it is
    committed (a rolled-back change still needs it)."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def profile_avatar_set(*, profile: Profile, picture: bytes) -> None:
    """Keep a cleaned picture (``avatar_clean``) as the person's avatar. Saving the profile
    moves its ``updated_at``, which keys every cached block showing their name and avatar."""
    old = profile.avatar.name
    name = default_storage.save(
        f"avatars/{profile.user_id}-{secrets.token_urlsafe(9)}.png", ContentFile(picture)
    )
    profile.avatar.name = name
    profile.save(update_fields=["avatar", "updated_at"])
    avatar_file_discard(old)


@transaction.atomic
def profile_avatar_remove(*, profile: Profile) -> None:
    """Back to initials; the file goes from storage once the change is committed."""
    old = profile.avatar.name
    if not old:
        return
    profile.avatar.name = ""
    profile.save(update_fields=["avatar", "updated_at"])
    avatar_file_discard(old)


def initials(name: str) -> str:
    """Up to two letters: the first of the first and last words ("Night Owl Mod" → "NM")."""
    words = [word for word in name.replace("_", " ").replace("-", " ").split() if word]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def initials_tint(seed: object) -> int:
    """The same tint for the same person on every page and every server (a hash, not
    Python's per-process ``hash()``)."""
    digest = hashlib.sha256(str(seed).encode()).digest()
    return digest[0] % INITIALS_TINTS
