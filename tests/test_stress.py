"""Many people editing one production at once, on PostgreSQL (issue 14).

Clients, each its own thread, database connection and logged-in manager,
send a random mix of every write for a while: tick and untick, add, edit,
comment, stage status, move, bulk change, Undo, delete, import. Afterwards:
no deadlock (PostgreSQL's own count for the database), no answer 5xx, the
counters agree with the rows (`manage.py check_counters`), and every write
that was answered as done is there.

The suite's run is short (16 clients for 10 s); the issue's full run:
STRESS_CLIENTS=50 STRESS_SECONDS=60 DATABASE_URL=postgres://... \
    pytest tests/test_stress.py -s
"""

import datetime
import os
import random
import threading
import time
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse

from productions import services
from productions.exceptions import Gone
from productions.imports import read_table
from productions.models import Activity, BulkAction, ChecklistItem, Comment, Membership, Stage
from productions.services.counters import wrong_counters
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, MembershipFactory, StageFactory, UserFactory
from tests.races import postgresql_only

pytestmark = [postgresql_only, pytest.mark.stress, pytest.mark.django_db(transaction=True)]

CLIENTS = int(os.environ.get("STRESS_CLIENTS", "16"))
SECONDS = float(os.environ.get("STRESS_SECONDS", "10"))

Kind = Activity.Kind


def deadlocks():
    """PostgreSQL's count of deadlocks detected in this database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


class Client:
    """One person: a logged-in manager sending writes until time is up."""

    def __init__(self, number, production, stages, user, stop):
        self.number, self.production, self.stages = number, production, stages
        self.user, self.stop = user, stop
        self.http = client_for(user)
        self.http.raise_request_exception = False
        self.random = random.Random(number)
        self.statuses = Counter()  # (action, status code)
        self.failures = []  # 5xx answers and exceptions
        self.acknowledged = {"add": [], "edit": [], "comment": [], "import": []}
        self.sent = 0

    def item(self):
        pks = list(
            ChecklistItem.objects.filter(stage__production=self.production)
            .order_by("?")
            .values_list("pk", "version")[:1]
        )
        return pks[0] if pks else (None, None)

    def marker(self, what):
        self.sent += 1
        return f"{what} {self.number}-{self.sent}"

    def post(self, action, url, data, **headers):
        response = self.http.post(url, data, **headers)
        self.statuses[(action, response.status_code)] += 1
        if response.status_code >= 500:
            self.failures.append((action, response.status_code, url))
        return response.status_code < 400

    def tick(self):
        pk, _ = self.item()
        if pk:
            done = self.random.choice("10")
            self.post("tick", reverse("item_toggle", args=[pk]), {"done": done}, **HTMX)

    def add(self):
        title = self.marker("Added")
        stage = self.random.choice(self.stages)
        if self.post("add", reverse("item_add", args=[stage.pk]), {"title": title}, **HTMX):
            self.acknowledged["add"].append(title)

    def edit(self):
        pk, version = self.item()
        if pk:
            title = self.marker("Edited")
            data = {"title": title, "version": version, "notes": ""}
            if self.post("edit", reverse("item_edit", args=[pk]), data, **HTMX):
                self.acknowledged["edit"].append(title)

    def comment(self):
        pk, _ = self.item()
        if pk:
            body = self.marker("Comment")
            if self.post("comment", reverse("item_comments", args=[pk]), {"body": body}, **HTMX):
                self.acknowledged["comment"].append(body)

    def status(self):
        stage = self.random.choice(self.stages)
        status = self.random.choice([Stage.Status.BLOCKED, Stage.Status.IN_PROGRESS, "auto"])
        self.post("status", reverse("stage_status", args=[stage.pk]), {"status": status}, **HTMX)

    def move(self):
        pk, _ = self.item()
        if pk:
            data = self.random.choice(
                [{"direction": "up"}, {"direction": "down"}, {"stage": self.random_stage().pk}]
            )
            self.post("move", reverse("item_move", args=[pk]), data, **HTMX)

    def random_stage(self):
        return self.random.choice(self.stages)

    def bulk(self):
        pks = list(
            ChecklistItem.objects.filter(stage__production=self.production)
            .order_by("?")
            .values_list("pk", flat=True)[: self.random.randint(2, 6)]
        )
        action = self.random.choice(["done", "undone", "due", "move", "delete"])
        data = {"action": action, "items": pks}
        if action == "due":
            data["due_date"] = datetime.date(2030, 1, self.random.randint(1, 28)).isoformat()
        elif action == "move":
            data["stage"] = self.random_stage().pk
        self.post("bulk", reverse("production_bulk", args=[self.production.slug]), data)

    def undo(self):
        bulk = (
            BulkAction.objects.filter(production=self.production, undone_at__isnull=True)
            .order_by("?")
            .first()
        )
        if bulk:
            self.post("undo", reverse("bulk_undo", args=[bulk.pk]), {})

    def delete(self):
        pk, _ = self.item()
        if pk:
            self.post("delete", reverse("item_delete", args=[pk]), {}, **HTMX)

    def import_(self):
        # The service the import's confirm page calls (the page keeps the
        # previewed file between two requests).
        stage = self.random_stage()
        title = self.marker("Imported")
        table = read_table("list.csv", f"Stage,Title\n{stage.name},{title}\n".encode())
        try:
            services.apply_checklist_import(self.production, table, by=self.user, filename="l.csv")
        except (services.ImportRefused, services.ImportChanged, Gone) as exc:
            self.statuses[("import", type(exc).__name__)] += 1
        else:
            self.statuses[("import", "done")] += 1
            self.acknowledged["import"].append(title)

    ACTIONS = {
        "tick": 30,
        "add": 10,
        "edit": 10,
        "comment": 10,
        "status": 5,
        "move": 10,
        "bulk": 6,
        "undo": 3,
        "delete": 6,
        "import_": 3,
    }

    def run(self, start):
        names, weights = list(self.ACTIONS), list(self.ACTIONS.values())
        try:
            start.wait(timeout=60)
            while not self.stop.is_set():
                action = self.random.choices(names, weights)[0]
                try:
                    getattr(self, action)()
                except Exception as exc:  # a deadlock or a bug: counted, not fatal
                    self.failures.append((action, type(exc).__name__, str(exc)[:300]))
        finally:
            connection.close()


def test_many_clients_mixing_every_write_keep_everything(production):
    stages = [
        StageFactory(production=production, name=name, position=n)
        for n, name in enumerate(["Wardrobe", "Catering", "Filming", "Editing"], 1)
    ]
    for stage in stages:
        for n in range(10):
            ChecklistItemFactory(stage=stage, title=f"{stage.name} {n}", position=n)
    users = [UserFactory(username=f"stress{n}") for n in range(CLIENTS)]
    for user in users:
        MembershipFactory(production=production, user=user, level=Membership.Level.MANAGER)
    stop, start = threading.Event(), threading.Barrier(CLIENTS + 1)
    clients = [Client(n, production, stages, user, stop) for n, user in enumerate(users)]
    threads = [threading.Thread(target=c.run, args=(start,)) for c in clients]
    deadlocks_before = deadlocks()

    for thread in threads:
        thread.start()
    start.wait(timeout=60)
    began = time.monotonic()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join(120)
    elapsed = time.monotonic() - began

    assert not any(thread.is_alive() for thread in threads), "a client hung"
    statuses = sum((c.statuses for c in clients), Counter())
    failures = [failure for c in clients for failure in c.failures]
    requests = sum(statuses.values())
    print(
        f"\n{CLIENTS} clients × {SECONDS:g} s: {requests} writes in {elapsed:.1f} s "
        f"({requests / elapsed:.0f}/s), deadlocks: {deadlocks() - deadlocks_before}, "
        f"failures: {len(failures)}"
    )
    for (action, status), count in sorted(statuses.items(), key=str):
        print(f"  {action:8} {status}: {count}")
    assert failures == []
    assert deadlocks() - deadlocks_before == 0
    assert wrong_counters() == []
    # Every write answered as done is there.
    titles = set(ChecklistItem.all_objects.values_list("title", flat=True))
    acknowledged = {
        k: [x for c in clients for x in c.acknowledged[k]] for k in clients[0].acknowledged
    }
    assert set(acknowledged["add"]) - titles - edited_away(acknowledged["add"]) == set()
    assert set(acknowledged["import"]) - titles - edited_away(acknowledged["import"]) == set()
    assert set(acknowledged["comment"]) <= set(Comment.objects.values_list("body", flat=True))
    assert set(acknowledged["edit"]) <= edited_to()


def edited_to():
    """Every title an edit gave an item, from the activity log."""
    edits = Activity.objects.filter(kind=Kind.ITEM_EDITED).values_list("changes", flat=True)
    return {changes["title"][1] for changes in edits if "title" in changes}


def edited_away(titles):
    """Of `titles`, those an edit changed later (the item is there, renamed)."""
    edits = Activity.objects.filter(kind=Kind.ITEM_EDITED).values_list("changes", flat=True)
    return {changes["title"][0] for changes in edits if "title" in changes} & set(titles)
