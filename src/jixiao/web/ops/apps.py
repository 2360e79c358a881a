from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the application: the production server, health check, request log, backups."""

    name = "jixiao.web.ops"
    label = "ops"
    verbose_name = _("运维")
