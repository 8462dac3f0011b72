from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemonstrationsConfig(AppConfig):
    name = "demonstrations"
    verbose_name = _("Red-heart demonstration projects")

    def ready(self) -> None:
        from . import hooks

        hooks.register()
