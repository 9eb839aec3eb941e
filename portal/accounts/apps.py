from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "People and profiles"

    def ready(self) -> None:
        from portal.accounts import signals  # noqa: F401  (connects allauth's signals)
        from portal.accounts.reference_data import ensure_reference_data

        post_migrate.connect(ensure_reference_data, sender=self)

        from portal.accounts.backends import forget_person
        from portal.accounts.models import User

        # The signed-in person is cached (portal/accounts/backends.py): every save and every
        # delete, however made (a form, a service, the admin's bulk delete), forgets it.
        post_save.connect(forget_person, sender=User, dispatch_uid="forget-person-saved")
        post_delete.connect(forget_person, sender=User, dispatch_uid="forget-person-deleted")
