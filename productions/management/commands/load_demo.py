import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from productions import services
from productions.models import (
    ChecklistItem,
    CrewMember,
    CrewRole,
    Location,
    Membership,
    Production,
)

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
        # (day, kind, general call, wrap, location, who is called)
        "schedule": [
            (
                0,
                "shoot",
                datetime.time(7),
                datetime.time(19),
                "Warehouse 9",
                ["Mina Park", "Tomás Silva", "Lia Chen", "Ava Novak", "Kai Tanaka"],
            ),
            (
                1,
                "shoot",
                datetime.time(9),
                datetime.time(21),
                "Pier 4 Rooftop",
                ["Mina Park", "Tomás Silva", "Lia Chen", "Kai Tanaka"],
            ),
            (
                2,
                "shoot",
                datetime.time(16),
                datetime.time(1),
                "Warehouse 9",
                ["Mina Park", "Tomás Silva", "Ava Novak"],
            ),
        ],
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
        "schedule": [
            # The recce falls on Neon Nights' first shoot day: Ava is on both.
            (
                -30,
                "recce",
                datetime.time(10),
                datetime.time(13),
                "Riverside Arena",
                ["Ava Novak", "Rosa Diaz"],
            ),
            (
                0,
                "load_in",
                datetime.time(8),
                datetime.time(20),
                "Riverside Arena",
                ["Sam Okafor", "Noor Haddad", "Ben Adler", "Rosa Diaz"],
            ),
            (
                1,
                "show",
                datetime.time(12),
                datetime.time(23, 30),
                "Riverside Arena",
                ["Sam Okafor", "Noor Haddad", "Ben Adler", "Rosa Diaz", "Ava Novak"],
            ),
        ],
    },
]

LOCATIONS = [
    (
        "Warehouse 9",
        "9 Dockside Way",
        "Crew parking in the yard; gate code at the call.",
        "St Mary's Hospital, 2 km (A&E open 24 h)",
    ),
    (
        "Pier 4 Rooftop",
        "Pier 4, Harbour Road",
        "No parking: unload at the pier, park at P3.",
        "Harbour General, 1.5 km",
    ),
    (
        "Riverside Arena",
        "1 Riverside Drive",
        "Trucks by the north dock; crew passes at door C.",
        "Riverside Medical Centre, 800 m",
    ),
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
            self.plan_days(production, spec, crew, user, start)
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

    def plan_days(self, production, spec, crew, user, start):
        """Shoot (or show) days with calls, and one conflict: a costume
        designer called on a recce of the concert during the video's first
        shoot day."""
        locations = {}
        for name, address, parking, hospital in LOCATIONS:
            locations[name], _ = Location.objects.get_or_create(
                name=name,
                defaults={
                    "address": address,
                    "access_notes": parking,
                    "nearest_hospital": hospital,
                },
            )
        stage = production.stages.filter(phase="production").first()
        for offset, kind, call, wrap, place, names in spec.get("schedule", ()):
            day = services.add_day(
                production,
                by=user,
                date=start + datetime.timedelta(days=offset),
                kind=kind,
                stage=stage,
                call_time=call,
                wrap_time=wrap,
                wraps_next_day=wrap < call,
                locations=[locations[place]],
                weather="Dry, 18 °C" if kind == "shoot" else "",
            )
            for n, name in enumerate(names):
                member = crew[name]
                early = datetime.time(call.hour - 1, 30) if n == 0 and call.hour else None
                services.add_call(
                    day, by=user, crew_member=member, role=member.default_role, call_time=early
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
        # The well-known demo/demo login: with DEBUG on the embedded SQLite only.
        if not (settings.DEBUG and settings.EMBEDDED_DATABASE):
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
