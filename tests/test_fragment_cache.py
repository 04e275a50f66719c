"""Cached fragments ({% cache %}): a stage's card on the production page and
the groups of My work come from the cache until what they show changes. A
change (tick, edit, status, a rename) shows at once, and viewers of one level
never get the controls cached for another."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from productions import services
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, CrewMemberFactory, StageFactory


@pytest.fixture
def stage(production):
    return StageFactory(production=production, name="Load-in")


@pytest.fixture
def item(stage):
    return ChecklistItemFactory(stage=stage, title="Book the van")


def section(response, stage):
    """The stage's card as the page shows it."""
    html = response.content.decode()
    start = html.index(f'<section id="stage-{stage.pk}"')
    return html[start : html.index("</section>", start)]


def test_an_unchanged_stage_comes_from_the_cache_without_reading_its_rows(editor, item, stage):
    client = client_for(editor)
    url = stage.production.get_absolute_url()
    with CaptureQueriesContext(connection) as drawn:
        first = client.get(url)
    with CaptureQueriesContext(connection) as cached:
        again = client.get(url)

    assert section(again, stage) == section(first, stage)
    assert "Book the van" in section(again, stage)
    # The second time no window of rows is read: one query fewer.
    assert len(cached) == len(drawn) - 1


def test_a_tick_shows_at_once_on_the_cached_page(editor, item, stage):
    client = client_for(editor)
    url = stage.production.get_absolute_url()
    assert 'aria-pressed="false"' in section(client.get(url), stage)

    client.post(f"/items/{item.pk}/toggle/", {"done": "1"}, **HTMX)

    card = section(client.get(url), stage)
    assert 'aria-pressed="true"' in card
    assert "1 of 1 done" in card


def test_an_edit_and_a_status_show_at_once(editor, manager, item, stage):
    client = client_for(editor)
    url = stage.production.get_absolute_url()
    client.get(url)

    item.refresh_from_db()
    services.update_item(item, by=editor, title="Book the truck")
    services.set_stage_status(stage, "blocked", by=manager)

    card = section(client.get(url), stage)
    assert "Book the truck" in card
    assert "Book the van" not in card
    assert '<option value="blocked" selected>' in card


def test_a_renamed_crew_member_shows_at_once(editor, item, stage):
    mina = CrewMemberFactory(name="Mina Okafor")
    item.assignee = mina
    item.save()
    client = client_for(editor)
    url = stage.production.get_absolute_url()
    assert "Assigned to Mina Okafor" in section(client.get(url), stage)

    # Renaming a crew member logs nothing on any production.
    mina.name = "Mina Okafor-Reyes"
    mina.save()

    assert "Assigned to Mina Okafor-Reyes" in section(client.get(url), stage)


@pytest.mark.parametrize("first", ["viewer", "editor", "manager"])
def test_levels_never_see_each_other_s_cached_controls(cast, item, stage, first):
    url = stage.production.get_absolute_url()
    order = [first] + [name for name in ("viewer", "editor", "manager") if name != first]
    cards = {}
    for name in order:
        cards[name] = section(client_for(cast[name]).get(url), stage)
    # Again, all from the cache now.
    for name in order:
        assert section(client_for(cast[name]).get(url), stage) == cards[name]

    assert f'id="tick-{item.pk}"' not in cards["viewer"]
    assert "stage-status-form" not in cards["viewer"]
    assert f'id="tick-{item.pk}"' in cards["editor"]
    assert "Delete stage" not in cards["editor"]
    assert "Delete stage" in cards["manager"]


def test_the_stage_cards_carry_no_csrf_token(editor, item, stage):
    response = client_for(editor).get(stage.production.get_absolute_url())

    assert "csrfmiddlewaretoken" not in section(response, stage)
    # The page gives its forms the page's token from outside the card.
    html = response.content.decode()
    assert f'form="stage-{stage.pk}-status-form"' in html
    assert f'form="stage-{stage.pk}-add-item"' in html


def test_a_filtered_page_is_not_the_unfiltered_one(editor, stage):
    ChecklistItemFactory(stage=stage, title="Rig the lights")
    ChecklistItemFactory(stage=stage, title="Book the van")
    client = client_for(editor)
    url = stage.production.get_absolute_url()
    client.get(url)

    card = section(client.get(url, {"q": "lights"}), stage)

    assert "Rig the lights" in card
    assert "Book the van" not in card


def test_the_key_names_language_time_zone_and_day():
    template = Template("{% fragment_vary 'editor' as vary %}{{ vary }}")
    request = RequestFactory().get("/", {"q": "van"})

    def vary():
        return template.render(Context({"request": request}))

    plain = vary()
    with translation.override("de"):
        assert vary() != plain
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Kiritimati")):
        # 14 hours ahead: another zone, and for part of the day another date.
        assert vary() != plain
    assert timezone.localdate().isoformat() in plain
    assert "q=van" in plain
    assert plain.endswith("|editor")


# My work


@pytest.fixture
def me(editor):
    return CrewMemberFactory(name="Eddie", user=editor)


def groups(response):
    html = response.content.decode()
    return html.split('id="work-groups"')[1].split('id="my-productions"')[0]


def test_my_work_shows_a_tick_and_a_new_date_at_once(editor, me, stage):
    late = ChecklistItemFactory(stage=stage, title="Send the rider", assignee=me)
    other = ChecklistItemFactory(stage=stage, title="Book the van", assignee=me)
    client = client_for(editor)
    first = groups(client.get("/"))
    assert "Send the rider" in first
    assert groups(client.get("/")) == first  # from the cache

    client.post(f"/items/{late.pk}/toggle/", {"done": "1", "row": "work"}, **HTMX)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.post(
        f"/items/{other.pk}/edit/", {"due_date": tomorrow.isoformat(), "row": "work"}, **HTMX
    )

    now = groups(client.get("/"))
    assert "Send the rider" not in now
    assert f'value="{tomorrow.isoformat()}"' in now


def test_my_work_is_nobody_else_s(editor, manager, me, stage):
    ChecklistItemFactory(stage=stage, title="Send the rider", assignee=me)
    assert "Send the rider" in groups(client_for(editor).get("/"))

    assert "Send the rider" not in groups(client_for(manager).get("/"))
