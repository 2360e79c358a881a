from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "jixiao.web.cycles"
    label = "cycles"
    verbose_name = _("考核周期")
