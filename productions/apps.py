from django.apps import AppConfig


class ProductionsConfig(AppConfig):
    name = "productions"
    verbose_name = "Productions"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from .fragments import people_changed
        from .middleware import remember_time_zone
        from .models import CrewMember, CrewRole

        user_logged_in.connect(remember_time_zone, dispatch_uid="productions.remember_time_zone")
        # Names shown on cached rows (fragments.py).
        for model in (CrewMember, CrewRole, get_user_model()):
            for signal in (post_save, post_delete):
                signal.connect(
                    people_changed, sender=model, dispatch_uid=f"people-{signal}-{model}"
                )
