import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from productions import services
from productions.models import ChecklistItem, CrewMember, CrewRole, Membership, Production

CREW = [
    ("Mina Park", "mina.park@example.com", "Director"),
    ("Jordan Reyes", "jordan.reyes@example.com", "Producer"),
    ("Sam Okafor", "sam.okafor@example.com", "Production coordinator"),
    ("Lia Chen", "lia.chen@example.com", "Choreographer"),
    ("Tomás Silva", "tomas.silva@example.com", "Cinematographer"),
    ("Ava Novak", "ava.novak@example.com", "Costume designer"),
    ("Kai Tanaka", "kai.tanaka@example.com", "Makeup artist"),
    ("Noor Haddad", "noor.haddad@example.com", "Sound engineer"),
    ("Ben Adler", "ben.adler@example.com", "Lighting designer"),
    ("Rosa Diaz", "rosa.diaz@example.com", "Stage manager"),
]

PRODUCTIONS = [
    {
        "title": "Neon Nights",
        "kind": Production.Kind.MUSIC_VIDEO,
        "artist": "Luna Vega",
        "venue": "Warehouse 9, Dockside",
        "days": (10, 12),
        "status": Production.Status.IN_PRODUCTION,
        "crew": ["Mina Park", "Jordan Reyes", "Lia Chen", "Tomás Silva", "Ava Novak", "Kai Tanaka"],
        "done_stages": 2,
    },
    {
        "title": "Echoes Live 2027",
        "kind": Production.Kind.CONCERT,
        "artist": "The Echoes",
        "venue": "Riverside Arena",
        "days": (40, 41),
        "status": Production.Status.PLANNING,
        "crew": [
            "Jordan Reyes",
            "Sam Okafor",
            "Noor Haddad",
            "Ben Adler",
            "Rosa Diaz",
            "Ava Novak",
        ],
        "done_stages": 1,
    },
]

DEMO_USERNAME = "demo"
# A second demo login: an editor on the first demo production only, to show
# what a freelancer sees (and does not see).
CREW_USERNAME = "crew"
# The crew directory entries the two demo logins are.
DEMO_CREW_NAME = "Jordan Reyes"
CREW_CREW_NAME = "Lia Chen"


class Command(BaseCommand):
    help = "Load demo productions and crew (safe to run again: nothing is duplicated)."

    @transaction.atomic
    def handle(self, *args, **options):
        user = self.ensure_demo_user()
        crew = {}
        for name, email, role_name in CREW:
            crew[name], _ = CrewMember.objects.get_or_create(
                email=email,
                defaults={"name": name, "default_role": CrewRole.objects.get(name=role_name)},
            )

        today = timezone.localdate()
        for spec in PRODUCTIONS:
            if Production.objects.filter(title=spec["title"]).exists():
                self.stdout.write(f"{spec['title']}: already there")
                continue
            start, end = (today + datetime.timedelta(days=d) for d in spec["days"])
            production = services.create_production(
                by=user,
                title=spec["title"],
                kind=spec["kind"],
                artist=spec["artist"],
                venue=spec["venue"],
                start_date=start,
                end_date=end,
                status=spec["status"],
            )
            for name in spec["crew"]:
                member = crew[name]
                services.add_assignment(
                    production, by=user, crew_member=member, role=member.default_role
                )

            # Tick the first stages off, assign a few open items, so the demo
            # looks like a production under way.
            stages = list(production.stages.all())
            for stage in stages[: spec["done_stages"]]:
                for item in stage.items.all():
                    services.set_item_done(item, True, by=user)
            open_items = list(
                ChecklistItem.objects.filter(stage__production=production, done=False)
            )
            for offset, (item, name) in enumerate(zip(open_items[:4], spec["crew"], strict=False)):
                services.update_item(
                    item,
                    by=user,
                    assignee=crew[name],
                    due_date=start - datetime.timedelta(days=7 - offset),
                )
            # The demo logins' own crew entries get work due around today, so
            # My work shows something: one overdue, one today, one this week.
            spare = iter(open_items[4:])
            for name in (DEMO_CREW_NAME, CREW_CREW_NAME):
                if name not in spec["crew"]:
                    continue
                for offset, item in zip((-2, 0, 3), spare, strict=False):
                    services.update_item(
                        item,
                        by=user,
                        assignee=crew[name],
                        due_date=today + datetime.timedelta(days=offset),
                    )
            self.stdout.write(f"{production.title}: created")
        self.ensure_crew_user(user)
        self.link_logins(crew)
        self.stdout.write(self.how_to_log_in())

    def how_to_log_in(self):
        """What `make run` prints under the address: only logins that work."""
        User = get_user_model()
        working = [
            f"{username} / {username}"
            for username in (DEMO_USERNAME, CREW_USERNAME)
            if (login := User.objects.filter(username=username).first())
            and login.check_password(username)
        ]
        if working:
            return "Log in as " + ", or ".join(working) + "."
        return (
            "No demo login here (one is made only with DEBUG on and SQLite): "
            "create yours with `python manage.py createsuperuser`."
        )

    def link_logins(self, crew):
        User = get_user_model()
        for username, name in ((DEMO_USERNAME, DEMO_CREW_NAME), (CREW_USERNAME, CREW_CREW_NAME)):
            login = User.objects.filter(username=username).first()
            if login and crew[name].user_id is None:
                crew[name].user = login
                crew[name].save(update_fields=["user"])

    def ensure_crew_user(self, demo_user):
        if demo_user is None:
            return
        User = get_user_model()
        crew_user, created = User.objects.get_or_create(username=CREW_USERNAME)
        if created:
            crew_user.set_password("crew")
            crew_user.save(update_fields=["password"])
            self.stdout.write("Created login crew / crew (editor on Neon Nights only)")
        production = Production.objects.filter(title=PRODUCTIONS[0]["title"]).first()
        if production and not production.memberships.filter(user=crew_user).exists():
            services.add_member(
                production, by=demo_user, user=crew_user, level=Membership.Level.EDITOR
            )

    def ensure_demo_user(self):
        # The well-known demo/demo login exists only for local development on
        # the embedded SQLite database, never on a production deployment.
        if not (settings.DEBUG and connection.vendor == "sqlite"):
            self.stdout.write("Not creating the demo login (needs DEBUG and SQLite).")
            return None
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password("demo")
            user.save(update_fields=["password"])
            self.stdout.write("Created login demo / demo")
        return user
