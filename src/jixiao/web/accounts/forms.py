from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jixiao.web.accounts.backends import is_demo_password


class LoginForm(AuthenticationForm):
    """The login form; failures are counted and locked by django-axes (``accounts.lockout``)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。请注意区分大小写；多次失败后将暂时锁定。"),
        "demo_refused": _("演示账号的公开密码不能在正式环境中登录。请联系人事行政为您设置新密码。"),
    }

    def clean(self):
        if is_demo_password(self.cleaned_data.get("password")):
            raise forms.ValidationError(self.error_messages["demo_refused"], code="demo_refused")
        return super().clean()
