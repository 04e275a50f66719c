"""Markup typed by one user never becomes live markup for another, where the
XSS page sweep (tests/test_xss_pages.py) cannot look with a GET: the 409
pages of an edit made over someone else's (both versions shown), refused
forms, a checklist import's preview and its 409, an invitation (the members
page, the message, the email, the page the link opens) and crispy-forms'
help texts.

Each check parses the answer as a browser would and finds no element the
payload made (tests/xss_payloads.py: injected_markup)."""

import csv
import datetime
import io
import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils.html import escape, format_html

from productions import services
from productions.models import Membership
from productions.services.stages import update_stage
from productions.template_forms import CloneForm
from tests.conftest import HTMX, client_for
from tests.factories import (
    ChecklistItemFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)
from tests.xss_payloads import MARKUP, assert_no_injected_markup, tag

Level = Membership.Level


@pytest.fixture(params=MARKUP, ids=range(len(MARKUP)))
def payload(request):
    return request.param


@pytest.fixture
def them(payload, production):
    """A teammate whose username is the payload."""
    user = UserFactory(username=payload[:150])
    MembershipFactory(production=production, user=user, level=Level.MANAGER)
    return user


def html_of(response):
    return response.content.decode()


def test_the_409_pages_show_both_versions_as_text(payload, them, manager, production):
    stage = StageFactory(production=production, name="Wardrobe")
    item = ChecklistItemFactory(stage=stage, title="Fit the jackets")
    services.update_item(item, by=them, title=tag("I", payload), notes=tag("N", payload))
    update_stage(stage, by=them, version=1, name=tag("S", payload))
    services.update_production(production, by=them, venue=tag("V", payload), version=1)
    client = client_for(manager)
    edits = [
        (
            "item edit",
            reverse("item_edit", args=[item.pk]),
            {"title": tag("i", payload), "notes": tag("n", payload), "version": 1},
            ["I", "N", "i", "n"],
        ),
        (
            "stage edit",
            reverse("stage_edit", args=[stage.pk]),
            {"name": tag("s", payload), "phase": "production", "version": 1},
            ["S", "s"],
        ),
        (
            "production edit",
            reverse("production_edit", args=[production.slug]),
            {
                "title": "Neon Nights",
                "kind": "music_video",
                "status": "planning",
                "venue": tag("v", payload),
                "version": 1,
            },
            ["V", "v"],
        ),
    ]

    for page, url, data, letters in edits:
        for headers in ({}, HTMX):
            response = client.post(url, data, **headers)

            html = html_of(response)
            assert response.status_code == 409, page
            assert f"Changed by {escape(them.get_username())}" in html, page
            for letter in letters:  # theirs and mine, as text
                assert escape(tag(letter, payload)) in html, (page, letter)
            assert_no_injected_markup(html, f"{page} 409")


def test_refused_forms_show_what_was_typed_as_text(payload, manager, production):
    """A refused post comes back with the text typed in it (422)."""
    production.title = payload
    production.start_date = datetime.date(2027, 3, 10)
    production.save()
    ChecklistItemFactory(stage=StageFactory(production=production))
    services.save_as_template(production, by=manager, name=payload, description="")
    client = client_for(manager)
    posts = [
        ("clone", reverse("production_clone", args=[production.slug]), {"title": " "}),
        (
            "save as template",
            reverse("production_save_template", args=[production.slug]),
            {"name": payload, "description": payload},  # the name is taken
        ),
        (
            "add member",
            reverse("member_add", args=[production.slug]),
            {"who": payload, "level": Level.EDITOR},
        ),
        ("new production", reverse("production_create"), {"title": payload, "kind": "x"}),
    ]

    for page, url, data in posts:
        for headers in ({}, HTMX):
            response = client.post(url, data, **headers)

            assert response.status_code == 422, page
            assert escape(payload) in html_of(response), page
            assert_no_injected_markup(html_of(response), f"refused {page}")


def _csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_a_checklist_import_shows_the_file_as_text(payload, editor, production):
    production.title = payload
    production.save()
    StageFactory(production=production, name="Soundcheck")
    client = client_for(editor)
    url = reverse("checklist_import", args=[production.slug])
    data = _csv([["Stage", "Item", "Notes"], ["Soundcheck", tag("I", payload), tag("N", payload)]])

    preview = client.post(url, {"file": SimpleUploadedFile(tag("F", payload) + ".csv", data)})
    stale = client.post(
        reverse("checklist_import_confirm", args=[production.slug]),
        {"token": "x" * 20, "digest": "y" * 64},
    )

    assert preview.status_code == 200, html_of(preview)
    assert escape(tag("I", payload)) in html_of(preview)
    assert_no_injected_markup(html_of(preview), "import preview")
    assert stale.status_code == 409
    assert escape(payload) in html_of(stale)
    assert_no_injected_markup(html_of(stale), "import 409")


# An invitation. An email address may hold markup in a quoted local part
# ("<div…>"@example.com is valid): no spaces or double quotes in it, so the
# attributes are separated by slashes, as HTML allows.
INVITEE = "\"<div/id='xss-marker-8'/hx-post='/xss-hit/'/hx-trigger='load'>x</div>\"@example.com"


@pytest.fixture
def invitation(payload, manager, production, mailoutbox, django_capture_on_commit_callbacks):
    """The payload as the production's title and the inviter's name; the
    invitee's address is markup too."""
    production.title = payload
    production.save()
    manager.first_name = payload[:150]
    manager.save()
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(
            reverse("member_add", args=[production.slug]),
            {"who": INVITEE, "level": Level.EDITOR},
            follow=True,
        )
    return client, added, mailoutbox[-1]


def test_an_invitation_shows_its_address_as_text(invitation, production):
    client, added, _ = invitation

    assert added.status_code == 200
    assert escape(INVITEE) in html_of(added)  # the message
    assert_no_injected_markup(html_of(added), "members page after an invitation")
    for headers in ({}, HTMX):
        members = client.get(reverse("production_members", args=[production.slug]), **headers)
        assert escape(INVITEE) in html_of(members)
        assert_no_injected_markup(html_of(members), "members page")
    membership = Membership.objects.get(user__email=INVITEE)
    resent = client.post(
        reverse("member_resend_invitation", args=[membership.pk]), follow=True, **HTMX
    )
    assert resent.status_code == 200
    assert_no_injected_markup(html_of(resent), "resent invitation")


def test_the_invitation_email_is_plain_text(invitation, payload):
    """Its title and inviter are the user's text as typed: the email is text
    only (no HTML part a mail client would render) and its subject one line."""
    _, _, email = invitation

    assert email.content_subtype == "plain"
    assert not getattr(email, "alternatives", [])
    assert not email.attachments
    assert "\n" not in email.subject
    assert payload[:150] in email.body
    assert email.to == [INVITEE]


def test_the_invitation_page_shows_the_username_as_text(invitation):
    _, _, email = invitation
    link = re.search(r"http://testserver(/invite/\S+/)", email.body).group(1)
    invitee = Client()

    page = invitee.get(invitee.get(link)["Location"])

    assert page.status_code == 200
    assert "Choose a password" in html_of(page)
    assert_no_injected_markup(html_of(page), "invitation page")


# crispy-forms prints help texts with |safe: ours autoescapes them.


class HelpForm(forms.Form):
    plain = forms.CharField(help_text='<div id="xss-marker-9" hx-get="/xss-hit/">x</div>')
    markup = forms.CharField(help_text=format_html("<em>{}</em>", "Said on purpose"))


def test_crispy_prints_a_plain_help_text_as_text():
    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(
        Context({"form": HelpForm()})
    )

    assert escape(HelpForm.base_fields["plain"].help_text) in html
    assert "<em>Said on purpose</em>" in html  # built as markup, kept as markup
    assert_no_injected_markup(html, "crispy help text")


@pytest.mark.parametrize("title", MARKUP, ids=range(len(MARKUP)))
def test_the_clone_forms_help_text_escapes_the_title_wherever_it_is_printed(db, title):
    """Django's own form templates print help texts with |safe too."""
    source = ProductionFactory(title=title, start_date=datetime.date(2027, 3, 10))

    html = str(CloneForm(source=source)["offset_days"].as_field_group())

    assert f"{escape(title)} starts on 10 Mar 2027." in html
    assert_no_injected_markup(html, "clone form, Django's template")
