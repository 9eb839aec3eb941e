from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class BoardConfig(AppConfig):
    name = "portal.board"
    label = "board"

    def ready(self) -> None:
        from portal.accounts.models import Language, Role
        from portal.board import reference

        # The board keeps the role and language lists in the shared cache: any change to
        # those rows drops the cached copy (see reference.py).
        for signal in (post_save, post_delete):
            signal.connect(reference.forget_roles, sender=Role, dispatch_uid="board-roles")
            signal.connect(
                reference.forget_languages, sender=Language, dispatch_uid="board-languages"
            )
