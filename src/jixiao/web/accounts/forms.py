from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jixiao.web.accounts import throttle


class ThrottledLoginForm(AuthenticationForm):
    """Refuses further attempts after too many failures for this username from this address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。请注意区分大小写；多次失败后将暂时锁定。"),
        "locked": _("登录失败次数过多，已暂时锁定。请 15 分钟后再试，或联系人事行政重置密码。"),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = throttle.client_ip(self.request) if self.request else ""
        if username and throttle.is_locked(username, ip):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                throttle.record_failure(username, ip)
            raise
        throttle.reset(username, ip)
        return cleaned
