"""Avatars (portal/accounts/avatars.py): an upload is squared, resized and stripped of its
metadata; a wrong file is refused with a form error; a replaced or removed picture leaves
storage; without one, initials show; the picture is in the export and goes with the account."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from portal.accounts.avatars import AVATAR_SIZE, initials, initials_tint
from portal.accounts.leaving.deletion import profile_blank
from portal.accounts.models import Profile
from portal.accounts.templatetags.avatars import avatar
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ARTIST = 0x013B


def photo(*, size=(400, 300), fmt="JPEG", colour=(200, 30, 30)) -> bytes:
    """A photo as a phone would send it: with EXIF (the camera's owner and a GPS position)."""
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    if fmt == "JPEG":
        exif = Image.Exif()
        exif[ARTIST] = "Secret Person"
        exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
        image.save(out, format="JPEG", exif=exif.tobytes())
    else:
        image.save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def person():
    return UserFactory()


def upload(client, content: bytes, name: str = "me.jpg", content_type: str = "image/jpeg"):
    return client.post(
        reverse("accounts:avatar"),
        {"picture": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_the_test_photo_really_carries_gps_and_the_owner():
    with Image.open(io.BytesIO(photo())) as image:
        exif = image.getexif()
        assert exif[ARTIST] == "Secret Person" and exif.get_ifd(GPS_IFD)


def test_an_upload_is_squared_resized_and_stripped_of_exif(client, person):
    client.force_login(person)
    response = upload(client, photo())
    assert response.status_code == 302
    profile = Profile.objects.get(user=person)
    with default_storage.open(profile.avatar.name, "rb") as kept:
        content = kept.read()
    assert b"Secret Person" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (AVATAR_SIZE, AVATAR_SIZE)
        assert not image.getexif()
        assert not image.getexif().get_ifd(GPS_IFD)
        assert "exif" not in image.info


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (b"%PDF-1.4 not a picture", "me.pdf", "not a picture we can read"),
        (photo(fmt="BMP"), "me.bmp", "Choose a JPEG, PNG, WebP or GIF picture."),
        (b"\xff\xd8" + b"0" * (2 * 1024 * 1024), "big.jpg", "2 MB or less"),
    ],
)
def test_a_wrong_file_is_refused_with_a_form_error(client, person, content, name, error):
    client.force_login(person)
    response = upload(client, content, name=name)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert response.context["form"].errors["picture"]
    assert not Profile.objects.get(user=person).avatar


def test_no_file_at_all_says_so(client, person):
    client.force_login(person)
    response = client.post(reverse("accounts:avatar"), {})
    assert "Choose a picture to upload." in response.content.decode()


def test_a_replaced_picture_is_deleted_from_storage(
    client, person, django_capture_on_commit_callbacks
):
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, photo())
    first = Profile.objects.get(user=person).avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, photo(fmt="PNG"), name="me.png", content_type="image/png")
    second = Profile.objects.get(user=person).avatar.name
    assert first != second
    assert not default_storage.exists(first) and default_storage.exists(second)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:avatar"), {"remove": "1"})
    assert not Profile.objects.get(user=person).avatar
    assert not default_storage.exists(second)


def test_changing_the_picture_moves_the_profiles_version(client, person):
    """Every cached author block is keyed on it (forums' post fragments, topic rows)."""
    before = Profile.objects.get(user=person).updated_at
    client.force_login(person)
    upload(client, photo())
    assert Profile.objects.get(user=person).updated_at > before


def test_without_a_picture_initials_show_in_a_steady_tint():
    assert initials("Night Owl Mod") == "NM"
    assert initials("kai") == "K"
    assert initials("dark_knight") == "DK"
    assert initials("  ") == "?"
    assert initials_tint(42) == initials_tint(42)
    shown = avatar("Night Owl Mod", None, 42)
    assert shown == (
        f'<span class="avatar avatar-medium avatar-initials avatar-tint-{initials_tint(42)}" '
        'aria-hidden="true">NM</span>'
    )


def test_a_picture_shows_as_an_image_beside_the_name():
    shown = avatar("Kai", "avatars/1-abc.png", 1, "large")
    assert 'src="/media/avatars/1-abc.png" alt="" width="96" height="96"' in shown


def test_the_profile_page_shows_the_picture(client, person):
    client.force_login(person)
    upload(client, photo())
    name = Profile.objects.get(user=person).avatar.name
    page = client.get(reverse("accounts:profile", args=[person.username])).content.decode()
    assert f'src="/media/{name}"' in page


def test_the_picture_is_in_the_data_export(client, person):
    from portal.accounts.leaving.exports import _archive
    from portal.accounts.models import DataExport

    client.force_login(person)
    upload(client, photo())
    profile = Profile.objects.get(user=person)
    stem = profile.avatar.name.rsplit("/", 1)[-1]
    export = DataExport.objects.create(user=person, expires_at=timezone.now())
    with zipfile.ZipFile(io.BytesIO(_archive(person, export))) as archive:
        data = json.loads(archive.read("data/accounts-profile.json"))
        assert data[0]["avatar"] == stem
        with default_storage.open(profile.avatar.name, "rb") as kept:
            assert archive.read(f"files/accounts-profile/{stem}") == kept.read()


def test_the_picture_goes_with_the_account(client, person, django_capture_on_commit_callbacks):
    client.force_login(person)
    upload(client, photo())
    name = Profile.objects.get(user=person).avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        profile_blank(user_id=person.pk)
    assert not Profile.objects.get(user=person).avatar
    assert not default_storage.exists(name)
