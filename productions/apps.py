from django.apps import AppConfig


class ProductionsConfig(AppConfig):
    name = "productions"
    verbose_name = "Productions"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import remember_time_zone

        user_logged_in.connect(remember_time_zone, dispatch_uid="productions.remember_time_zone")
