"""Every export format's access rules: outsiders get 404 and anonymous
visitors log in, every format is a private download that a POST cannot reach,
items in the trash stay out, and a print too long is refused."""

import pytest
from django.urls import reverse
from django.utils import timezone

from productions.models import ChecklistItem, Stage
from productions.views import exports as export_views
from tests.conftest import client_for
from tests.exports_checklist import FORMATS, body, make_checklist, pdf_text, url
from tests.factories import ChecklistItemFactory, StageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(production, manager):
    """Two stages with dates, an assigned item with notes and a due date, a done
    one (see tests/exports_checklist.py)."""
    return make_checklist(production, manager)


@pytest.mark.parametrize("fmt", FORMATS)
def test_outsiders_get_404_and_anonymous_visitors_log_in(outsider, production, fmt):
    assert client_for(outsider).get(url(fmt, production)).status_code == 404
    response = client_for(None).get(url(fmt, production))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_private_and_a_download(viewer, production, checklist, fmt):
    response = client_for(viewer).get(url(fmt, production))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_is_refused(viewer, production, fmt):
    assert client_for(viewer).post(url(fmt, production)).status_code == 405


def test_items_in_the_trash_stay_out_of_every_format(viewer, production, checklist):
    item = checklist["items"][0]
    ChecklistItem.objects.filter(pk=item.pk).update(deleted_at=timezone.now())
    client = client_for(viewer)

    assert "Secure permits" not in body(client.get(url("csv", production))).decode("utf-8-sig")
    assert "Secure permits" not in "".join(pdf_text(client.get(url("pdf", production))))
    assert b"Secure permits" not in body(client.get(url("ics", production)))
    assert b"Secure permits" not in body(client.get(url("json", production)))
    assert Stage.objects.filter(production=production).count() == 2


def test_a_print_too_long_is_refused_with_a_way_to_narrow_it(logged_in, monkeypatch):
    monkeypatch.setattr(export_views, "PRINT_MAX_ITEMS", 2)
    stage = StageFactory()
    ChecklistItemFactory.create_batch(3, stage=stage)

    for name in ("production_print", "production_export_pdf"):
        response = logged_in.get(reverse(name, args=[stage.production.slug]))
        assert response.status_code == 400
        assert "at most 2 print at once" in response.content.decode()
