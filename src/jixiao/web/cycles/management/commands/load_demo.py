"""``python -m jixiao.web load_demo``: a demo shop with ~40 staff and three monthly cycles."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import get_language

from jixiao.errors import UserError
from jixiao.web.cycles.models import Cycle
from jixiao.web.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create (once) a demo e-commerce shop with staff, schemes and three monthly cycles."

    def handle(self, *args, **options):
        try:
            logins = load_demo()
        except UserError as exc:
            raise CommandError(exc.localized(get_language() or "zh-hans")) from exc
        for c in Cycle.objects.order_by("start"):
            self.stdout.write(f"{c.name}: {c.get_state_display()} ({c.participants.count()} 人)")
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
        for login in logins:
            self.stdout.write(f"  {login.role:<28} {login.name:<6} 用户名: {login.username}")
