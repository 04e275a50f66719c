"""Hostile documents to the production JSON import, and hostile confirmations
of a checklist import (tests/fuzzing.py says what must hold: never a 5xx).

The documents are structure-aware: a valid production document (VALID) with
wrong values put at its paths. First every path gets a value of every JSON
type (a sweep: each path is tried with null, true, a number, a float, text,
a list and an object); then hypothesis replaces, deletes and adds values at
paths it picks, several at a time, with hostile values (NUL, lone surrogates,
dates outside 1900-2200, huge numbers, nested containers). A document
answered 4xx writes nothing; one answered with a redirect made exactly one
production. DOCUMENTS counts what was sent: tests/fuzz/test_volume.py
checks at least MIN_DOCUMENTS a run.
"""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from productions.exports import JSON_FORMAT, JSON_VERSION
from productions.models import (
    Activity,
    Assignment,
    ChecklistItem,
    Comment,
    CrewMember,
    Membership,
    Production,
    Stage,
)
from productions.services.counters import wrong_counters
from tests.fuzzing import all_ids, form_data, fuzz_settings, send, values

pytestmark = pytest.mark.django_db

MIN_DOCUMENTS = 2_000
DOCUMENTS = {"count": 0}

VALID = {
    "format": JSON_FORMAT,
    "version": JSON_VERSION,
    "exported_at": "2027-01-01T00:00:00Z",
    "production": {
        "id": 1,
        "slug": "fuzz-tour",
        "title": "Fuzz tour",
        "kind": "concert",
        "artist": "Ça Va",
        "venue": "Arena",
        "start_date": "2027-03-01",
        "end_date": "2027-03-05",
        "status": "planning",
        "description": "A tour.",
    },
    "crew": [
        {"id": 7, "name": "Gus Gaffer", "email": "", "phone": "", "default_role": "Gaffer"},
        {
            "id": 8,
            "name": "Nora New",
            "email": "nora@example.com",
            "phone": "+34 600",
            "default_role": None,
        },
    ],
    "assignments": [{"crew": 7, "role": "Gaffer"}, {"crew": 8, "role": "Best boy"}],
    "stages": [
        {
            "id": 1,
            "name": "Rehearsals",
            "phase": "pre_production",
            "status": "in_progress",
            "status_manual": False,
            "start_date": "2027-03-01",
            "due_date": "2027-03-02",
            "notes": "Bring water.",
            "items": [
                {
                    "id": 1,
                    "title": "Full run",
                    "notes": "in costume",
                    "assignee": 7,
                    "due_date": "2027-03-02",
                    "required": True,
                    "done": True,
                    "done_at": "2027-02-28T10:00:00Z",
                    "done_by": "eddie",
                    "comments": [
                        {
                            "author": "vera",
                            "body": "<b>great</b>",
                            "created_at": "2027-02-28T11:00:00+01:00",
                        }
                    ],
                },
                {
                    "id": 2,
                    "title": "Notes to cast",
                    "notes": "",
                    "assignee": None,
                    "due_date": None,
                    "required": False,
                    "done": False,
                    "done_at": None,
                    "done_by": None,
                    "comments": [],
                },
            ],
        },
        {
            "id": 2,
            "name": "Show",
            "phase": "production",
            "status": "not_started",
            "status_manual": True,
            "start_date": None,
            "due_date": None,
            "notes": "",
            "items": [],
        },
    ],
}


def paths(value, prefix=()):
    """Every path of a JSON value: keys of objects and indexes of lists."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


PATHS = [path for path in paths(VALID) if path]
ONE_OF_EACH_TYPE = [None, True, 0, -1, 1.5, "", "x", [], [1], {}, {"a": 1}]

NASTY = [
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff",
    "\u202eevil",
    "😀" * 400,
    "a" * 301,
    "é" * 5001,
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "1900-01-01",
    "2200-12-31",
    "2201-01-01",
    "2027-02-30",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "2200-12-31T23:59:59-14:00",
    "1900-01-01T00:00:00+14:00",
    "2027-02-28T10:00:00",
    "2027-02-28T10:00:00Z",
    "Gaffer",
    "GAFFER",
    "Wizard",
    "eddie",
    "mina",
    "concert",
    "done",
    7,
    8,
    9,
    2**63,
    -(2**63) - 1,
    10**400,
    float("nan"),
    float("inf"),
    1e308,
]

leaf = st.one_of(
    st.sampled_from(NASTY),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=30),
    st.text(st.characters(categories=["Cs", "Cc", "Cf"]), max_size=8),
)
hostile = st.recursive(
    leaf,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


def put(doc, path, value):
    *parents, last = path
    node = doc
    for key in parents:
        node = node[key]
    node[last] = value


def remove(doc, path):
    *parents, last = path
    node = doc
    for key in parents:
        node = node[key]
    del node[last]


@st.composite
def spoiled_documents(draw):
    """VALID with one to three of its paths given hostile values or removed."""
    doc = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        present = [path for path in paths(doc) if path]
        path = draw(st.sampled_from(present))
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            remove(doc, path)
        else:
            put(doc, path, draw(hostile))
    return doc


def table_counts():
    return [
        model.objects.count()
        for model in (
            Production,
            Stage,
            ChecklistItem,
            Comment,
            CrewMember,
            Assignment,
            Membership,
            Activity,
        )
    ]


def send_document(client, doc, *, htmx=False, name="fuzz.json"):
    """Upload `doc`; a refusal writes nothing, an import makes one production."""
    DOCUMENTS["count"] += 1
    try:
        data = json.dumps(doc).encode()
    except ValueError:  # a number too long for str(): send its start, broken
        data = json.dumps(doc, default=str)[:1000].encode()
    before = table_counts()
    response = send(
        client,
        "POST",
        reverse("production_import"),
        {"file": SimpleUploadedFile(name, data)},
        htmx=htmx,
    )
    after = table_counts()
    if response.status_code >= 400:
        assert after == before, (doc, response)
    else:
        assert response.status_code in (200, 302), (doc, response)
        assert after[0] == before[0] + 1, doc
    return response


@pytest.fixture
def importer(world, clients):
    """The manager's client, after checking that VALID imports."""
    client = clients["manager"]
    response = send_document(client, VALID)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def test_every_path_takes_every_type(importer):
    """The sweep: each path of VALID with a value of each JSON type."""
    for path in PATHS:
        for value in ONE_OF_EACH_TYPE:
            doc = copy.deepcopy(VALID)
            put(doc, path, value)
            send_document(importer, doc, htmx=value == "")
    assert wrong_counters() == []


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_spoiled_documents_are_refused_or_imported_whole(importer, htmx):
    @fuzz_settings(300)
    @given(
        docs=st.lists(spoiled_documents(), min_size=2, max_size=2),
        name=st.sampled_from(["fuzz.json", "FUZZ.JSON", "ü😀.json", "a\x00b.json", "x.csv"]),
    )
    def run(docs, name):
        for doc in docs:
            send_document(importer, doc, htmx=htmx, name=name)

    run()
    assert wrong_counters() == []


def test_the_import_confirm_takes_any_input(world, foreign, clients):
    """A real preview is kept in the session; then hostile tokens and digests
    (non-ASCII ones included) confirm it, or fail to."""
    url = reverse("checklist_import_confirm", args=[world.production.slug])
    preview_url = reverse("checklist_import", args=[world.production.slug])
    csv = f"Stage,Item\n{world.stage.name},Steam the coats\n".encode()
    ids = all_ids(world, foreign)
    token = st.one_of(values(ids), st.sampled_from(["é", "ø" * 64, "x" * 65, "\u202e"]))

    @fuzz_settings(120)
    @given(
        role=st.sampled_from(["editor", "manager"]),
        data=form_data(["token", "digest"], ids),
        bad_token=token,
        keep_token=st.booleans(),
        htmx=st.booleans(),
        urlencoded=st.booleans(),
    )
    def run(role, data, bad_token, keep_token, htmx, urlencoded):
        client = clients[role]
        preview = send(
            client, "POST", preview_url, {"file": SimpleUploadedFile("x.csv", csv)}, htmx=htmx
        )
        if preview.status_code == 200 and keep_token:
            data = {"token": preview.context["token"], **data}
        else:
            data = {**data, "token": bad_token}
        send(client, "POST", url, data, htmx=htmx, urlencoded=urlencoded)

    run()
    assert wrong_counters() == []
