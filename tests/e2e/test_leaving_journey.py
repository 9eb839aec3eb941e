"""A member takes their data away, then asks to delete their account and changes their mind
by signing in again."""

import json
import re
import zipfile

import pytest

from portal.accounts.models import AccountDeletion
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()


def test_export_then_delete_and_cancel_by_signing_in(page, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "exports")},
        },
    }
    sam = UserFactory(username="sam_leaves", email="sam@example.com")
    sign_in(page, "sam_leaves")

    # From the profile form to the data page; the export is built and offered.
    page.goto("/account/profile/")
    page.get_by_role("link", name="Export your data").click()
    page.wait_for_url(re.compile(r"/account/data/$"))
    page.get_by_role("button", name="Export my data").click()
    page.get_by_text("Ready to download").wait_for()
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download the zip").click()
    path = tmp_path / "export.zip"
    caught.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        profile = json.loads(archive.read("data/accounts-profile.json"))[0]
    assert profile["username"] == "sam_leaves" and profile["email"] == "sam@example.com"

    # Deleting asks for the password again, then for a confirmation.
    page.get_by_role("link", name="Delete your account").click()
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/account/delete/$"))
    page.get_by_role("button", name="Delete my account in 7 days").click()
    # Beside the box, and in the summary above the form, which has the focus.
    assert page.get_by_text(
        "Tick this to confirm you want your account deleted.", exact=True
    ).is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.get_by_label("I understand that after 7 days").check()
    page.get_by_role("button", name="Delete my account in 7 days").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_text("Your account will be deleted on").is_visible()
    assert page.get_by_role("link", name="Log in").is_visible()  # signed out
    assert AccountDeletion.objects.filter(user=sam).exists()

    # Signing in within the week cancels it, and says so.
    sign_in(page, "sam_leaves")
    page.get_by_text("your account will not be deleted").wait_for()
    assert not AccountDeletion.objects.filter(user=sam).exists()
