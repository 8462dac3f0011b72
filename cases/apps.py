from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Warnings and whistles")

    def ready(self) -> None:
        from . import hooks

        hooks.register()
