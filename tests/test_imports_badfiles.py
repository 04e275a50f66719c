"""The corpus of bad files (tests/badfiles/, made by make_corpus.py): each is
refused with its own clear message next to the file field, as a 422, never a
500, and nothing at all is written."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from productions.models import Activity, ChecklistItem
from tests.conftest import HTMX, client_for
from tests.factories import AssignmentFactory, CrewMemberFactory, StageFactory

pytestmark = pytest.mark.django_db

BADFILES = Path(__file__).parent / "badfiles"
EXPECTED = json.loads((BADFILES / "expected.json").read_text(encoding="utf-8"))


def test_the_corpus_has_at_least_twenty_files_each_with_its_message():
    files = {
        p.name for p in BADFILES.iterdir() if p.name not in ("expected.json", "make_corpus.py")
    }
    assert files == set(EXPECTED)
    assert len(files) >= 20


@pytest.fixture
def soundcheck(production):
    stage = StageFactory(production=production, name="Soundcheck")
    lia = CrewMemberFactory(name="Lia Chen")
    AssignmentFactory(production=production, crew_member=lia)
    return stage


def upload(client, production, name, data, **extra):
    return client.post(
        reverse("checklist_import", args=[production.slug]),
        {"file": SimpleUploadedFile(name, data)},
        **extra,
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_is_refused_with_its_message(editor, production, soundcheck, name):
    before = (ChecklistItem.objects.count(), Activity.objects.count())

    response = upload(client_for(editor), production, name, (BADFILES / name).read_bytes())

    assert response.status_code == 422
    html = response.content.decode()
    from django.utils.html import escape

    assert escape(EXPECTED[name]) in html, html[html.find("invalid-feedback") :][:800]
    assert (ChecklistItem.objects.count(), Activity.objects.count()) == before


def test_an_htmx_upload_gets_the_fragment_with_the_message(editor, production, soundcheck):
    response = upload(client_for(editor), production, "empty.csv", b"", **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="import">')
    assert "The file is empty." in html


def test_a_file_over_the_size_limit_is_refused_unread(editor, production, soundcheck):
    data = b"Stage,Item\n" + b"Soundcheck,x\n" * (2 * 1024 * 1024 // 13 + 10)

    response = upload(client_for(editor), production, "big.csv", data)

    assert response.status_code == 422
    assert "an import takes at most 2 MB." in response.content.decode()


def test_no_file_at_all_is_said_next_to_the_field(editor, production):
    response = client_for(editor).post(reverse("checklist_import", args=[production.slug]), {})

    assert response.status_code == 422
    assert 'id="import-file-error"' in response.content.decode()
