"""Data exports: one zip of everything Modhall holds about a person, built by a Celery task.

The archive holds a JSON file per kind of data (``data/<app>-<model>.json``), the person's
own Markdown texts as .md files (``texts/…``) and a README. It is kept in the "exports"
storage (settings.STORAGES) under a random name for EXPORT_KEPT_FOR, served only to its
person, and deleted by an hourly beat job once expired.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
import zipfile
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from portal.accounts.models import DataExport, User
from portal.core.outbox import enqueue_on_commit
from portal.core.personal_data import PersonalData, registry

logger = logging.getLogger(__name__)

EXPORT_KEPT_FOR = timedelta(days=7)
STORAGE_ALIAS = "exports"


def export_storage() -> Storage:
    return storages[STORAGE_ALIAS]


def exported_kinds() -> list[PersonalData]:
    return [entry for entry in registry() if entry.export is not None]


@transaction.atomic
def data_export_request(*, user: User, now: datetime | None = None) -> DataExport:
    """Queue an export for the person; one already waiting or being built is returned
    instead, so reloading or double-clicking never builds two."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    pending = DataExport.objects.filter(
        user=user, status__in=[DataExport.Status.QUEUED, DataExport.Status.BUILDING]
    ).first()
    if pending is not None:
        return pending
    export = DataExport.objects.create(
        user=user, expires_at=(now or timezone.now()) + EXPORT_KEPT_FOR
    )
    from portal.accounts.tasks import build_data_export

    enqueue_on_commit(build_data_export, export.pk)
    return export


def _progress(export: DataExport, *, done: int, of: int, step: str) -> None:
    # Written outside any transaction, so the person's page sees it while the build goes on.
    DataExport.objects.filter(pk=export.pk).update(
        status=DataExport.Status.BUILDING, progress=min(99, done * 100 // max(of, 1)), step=step
    )


def _archive(user: User, export: DataExport) -> bytes:
    kinds = exported_kinds()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        contents = []
        for done, entry in enumerate(kinds):
            _progress(export, done=done, of=len(kinds), step=f"Gathering {entry.title}")
            found = entry.export(user)
            archive.writestr(
                f"data/{entry.file_stem}.json",
                json.dumps(found, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            )
            texts = 0
            if entry.markdown:
                for number, row in enumerate(found, 1):
                    text = row.get(entry.markdown) or ""
                    if text.strip():
                        name = row.get("id", number)
                        archive.writestr(f"texts/{entry.file_stem}/{name}.md", text)
                        texts += 1
            for name, content in entry.files(user) if entry.files else []:
                archive.writestr(f"files/{entry.file_stem}/{name}", content)
            contents.append({"entry": entry, "count": len(found), "texts": texts})
        archive.writestr(
            "README.txt",
            render_to_string(
                "accounts/leaving/export_readme.txt",
                {"user": user, "contents": contents, "built_at": timezone.now()},
            ),
        )
    return buffer.getvalue()


def data_export_build(*, export_id: int, now: datetime | None = None) -> DataExport | None:
    """Build the archive. Idempotent: a finished or vanished export is left as it is."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status in (DataExport.Status.READY, DataExport.Status.FAILED):
        return export
    try:
        content = _archive(export.user, export)
    except Exception:
        logger.exception("data export %s failed", export.pk)
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.FAILED, step="", finished_at=timezone.now()
        )
        raise
    name = export_storage().save(f"{secrets.token_urlsafe(24)}.zip", ContentFile(content))
    now = now or timezone.now()
    DataExport.objects.filter(pk=export.pk).update(
        status=DataExport.Status.READY,
        progress=100,
        step="",
        file_name=name,
        finished_at=now,
        expires_at=now + EXPORT_KEPT_FOR,
    )
    export.refresh_from_db()
    return export


def data_export_discard(*, export: DataExport) -> None:
    """Delete the archive (if built) and the row."""
    if export.file_name:
        export_storage().delete(export.file_name)
    export.delete()


def data_exports_purge(*, now: datetime | None = None) -> int:
    """Delete every expired export; the hourly beat job. Returns how many went."""
    gone = 0
    for export in DataExport.objects.expired(now=now or timezone.now()):
        data_export_discard(export=export)
        gone += 1
    return gone
