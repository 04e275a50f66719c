"""`make bench`: what the busiest pages cost as a production grows.

Seeds productions of 10, 300, 5,000 and 100,000 items into a scratch test
database (SQLite in memory by default; the `DATABASE_URL` server otherwise),
then times requests through the full middleware stack with a logged-in test
client, against a floor: a view that answers "ok" behind the same login,
timed again right before and after each row (the last column), so drift
cancels out. The
rows: the production page, the board, a tick, an add, My work, the idle
live-update check and the CSV export. Prints per-request time (median and
95th percentile), the median's ratio to the floor, queries, and the
production page's size raw and gzipped.
`--profile NAME` adds a cProfile of the rows whose name starts with NAME.
Not a test: nothing fails on timing.
"""

import cProfile
import gzip
import io
import pstats
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from productions.access import Access, Level
from productions.models import ChecklistItem
from productions.pages import live_etag
from productions.queries import last_activity_id

SIZES = [10, 300, 5_000, 100_000]
STAGES = 6


class Command(BaseCommand):
    help = "Time the production page, the board, a tick, an add, My work, the live check and CSV."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument(
            "--profile",
            default="",
            help="Also print a cProfile of the rows whose name starts with this (e.g. board).",
        )

    def handle(self, *args, sizes, repeat, profile, **options):
        sizes = [int(size) for size in sizes.split(",")]
        self.profile = profile
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with override_settings(
                ROOT_URLCONF="productions.bench_urls",
                ALLOWED_HOSTS=["testserver"],
                DEBUG=False,
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                # Static URLs without `collectstatic` (as in the tests).
                STORAGES={
                    **settings.STORAGES,
                    "staticfiles": {
                        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                    },
                },
            ):
                self.run_all(sizes, repeat)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def run_all(self, sizes, repeat):
        user = get_user_model().objects.create_user("bench", password="bench")
        client = Client()
        client.force_login(user)
        self.client, self.repeat = client, repeat
        self.floor = lambda: client.get("/bench/floor/")
        floor = self.measure(self.floor, repeat * 4)
        self.stdout.write(
            f"floor: {floor[0] * 1000:.2f} ms (p95 {floor[1] * 1000:.2f}), {floor[2]} queries"
        )
        header = (
            f"{'items':>8} {'what':<18} {'ms':>8} {'p95 ms':>8} {'x floor':>8} {'queries':>8}"
            f" {'floor ms':>9}"
        )
        self.stdout.write(header)
        for size in sizes:
            self.run_size(user, size)

    def run_size(self, user, size):
        client = self.client
        production, items = seed(user, size)
        slug = production.slug
        stage = production.stages.first()
        htmx = {"HX-Request": "true"}

        def export():
            response = client.get(f"/productions/{slug}/export.csv")
            return b"".join(response.streaming_content)

        rows = [
            ("production page", lambda: client.get(f"/productions/{slug}/"), self.repeat),
            ("board", lambda: client.get(f"/productions/{slug}/board/"), self.repeat),
            ("tick", self.ticker(items), self.repeat),
            (
                "add",
                lambda: client.post(f"/stages/{stage.pk}/items/", {"title": "x"}, headers=htmx),
                self.repeat,
            ),
            ("my work", lambda: client.get("/"), self.repeat),
            ("live check (idle)", self.idle_poll(production), self.repeat),
            ("csv export", export, 3),
        ]
        for name, request, repeat in rows:
            seconds, p95, queries, floor = self.measure_against_floor(request, repeat)
            self.stdout.write(
                f"{size:>8} {name:<18} {seconds * 1000:>8.2f} {p95 * 1000:>8.2f}"
                f" {seconds / floor:>8.1f} {queries:>8} {floor * 1000:>9.2f}"
            )
            if self.profile and name.startswith(self.profile):
                self.print_profile(request, repeat)
        page = client.get(f"/productions/{slug}/").content
        self.stdout.write(
            f"{size:>8} {'page bytes':<18} raw {len(page):,}, gzip {len(gzip.compress(page)):,}"
        )

    def measure_against_floor(self, request, repeat):
        """measure(), between two runs of the floor (`repeat` requests each,
        like the row): the ratio compares medians taken over the same few
        seconds, so a machine that speeds up or slows down during the run (a
        shared one does) moves both alike. Each runs in a loop of its own, as
        the floor at the top does, not one request in turn with the other.
        Returns the request's median, its 95th percentile, its queries and
        the floor's median."""
        before = self.measure(self.floor, repeat)[0]
        seconds, p95, queries = self.measure(request, repeat)
        after = self.measure(self.floor, repeat)[0]
        return seconds, p95, queries, statistics.median([before, after])

    def measure(self, request, repeat):
        request()  # warm up
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
        ):
            request()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = request()
            times.append(time.perf_counter() - start)
        del response
        return statistics.median(times), p95(times), len(queries)

    def print_profile(self, request, repeat):
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [request() for _ in range(repeat)])
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        self.stdout.write(out.getvalue())

    def ticker(self, items):
        """Ticks and unticks one item in turn: every call changes it."""
        item = items[0]
        state = {"done": ChecklistItem.objects.get(pk=item).done}

        def tick():
            state["done"] = not state["done"]
            return self.client.post(
                f"/items/{item}/toggle/",
                {"done": "1" if state["done"] else "0"},
                headers={"HX-Request": "true"},
            )

        return tick

    def idle_poll(self, production):
        """The poll of a page that is up to date (read when first called, after
        the rows before it changed the production)."""
        slug = production.slug
        state = {}

        def poll():
            if not state:
                production.refresh_from_db()
                state["after"] = last_activity_id(production)
                state["etag"] = live_etag(production, Access(Level.MANAGER))
            return self.client.get(
                f"/productions/{slug}/changes/?after={state['after']}",
                headers={"HX-Request": "true", "If-None-Match": f'"{state["etag"]}"'},
            )

        return poll


def seed(user, size):
    from productions import services
    from productions.models import ChecklistItem, CrewMember, Membership, Production, Stage
    from productions.services.counters import recount_production

    production = Production.objects.create(
        title=f"Bench {size}", slug=f"bench-{size}", kind="concert", created_by=user
    )
    Membership.objects.create(production=production, user=user, level=Membership.Level.MANAGER)
    me = CrewMember.objects.get_or_create(user=user, defaults={"name": "Bench Crew"})[0]
    stages = Stage.objects.bulk_create(
        Stage(production=production, name=f"Stage {n}", position=n) for n in range(STAGES)
    )
    today = timezone.localdate()
    ChecklistItem.objects.bulk_create(
        (
            ChecklistItem(
                stage=stages[n % STAGES],
                title=f"Item {n}",
                position=n,
                done=n % 3 == 0,
                done_at=timezone.now() if n % 3 == 0 else None,
                assignee=me if n % 50 == 0 else None,
                due_date=today + timezone.timedelta(days=n % 30 - 10) if n % 50 == 0 else None,
            )
            for n in range(size)
        ),
        batch_size=5_000,
    )
    recount_production(production.pk)
    # Fresh statistics, as a database that grew over weeks would have: without
    # them PostgreSQL plans for empty tables.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    services.log(production, services.activity.Kind.PRODUCTION_CREATED, by=user, subject="bench")
    items = list(
        ChecklistItem.objects.filter(stage__production=production).values_list("pk", flat=True)[:50]
    )
    return production, items


def p95(times):
    """The 95th percentile of `times` (interpolated between the two slowest
    when there are fewer than 20)."""
    if len(times) < 2:
        return max(times)
    return statistics.quantiles(times, n=20, method="inclusive")[-1]
