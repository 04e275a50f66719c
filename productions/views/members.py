"""A production's members: who may see and change it, and the invitation link
that lets someone new set their password and join."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Value
from django.db.models.functions import Concat
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from .. import services
from ..access import (
    Level,
    get_membership_for_user,
    get_production_for_user,
    productions_for_user,
    require_to,
)
from ..services.members import has_pending_invitation

TEMPLATE = "productions/members.html"

NOT_FOUND = "No one with that name or username. To invite someone new, enter their email."


class AddMemberForm(forms.Form):
    """One box for whoever the manager has in mind: an existing login, found by
    username, email or full name, or an email to invite."""

    who = forms.CharField(
        label="Name, username or email",
        max_length=254,
        help_text="Someone new? Enter their email and they get an invitation.",
    )
    level = forms.TypedChoiceField(
        label="Access", choices=Level.choices, coerce=int, initial=Level.VIEWER
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "add-member-%s")
        super().__init__(*args, **kwargs)

    def clean_who(self):
        text = " ".join(self.cleaned_data["who"].split())
        self.found_user, self.invite_email = find_user(text), ""
        if self.found_user is None:
            try:
                validate_email(text)
            except ValidationError:
                raise ValidationError(NOT_FOUND, code="not_found") from None
            self.invite_email = get_user_model().objects.normalize_email(text)
        return text


def _one(queryset, ambiguous):
    found = list(queryset[:2])
    if len(found) > 1:
        raise ValidationError(ambiguous, code="ambiguous")
    return found[0] if found else None


def find_user(text):
    """The user `text` names: their username or email (any case), or their
    full name if only one person has it. None if nobody; ValidationError if it
    could be several people."""
    User = get_user_model()
    users = User._default_manager.all()
    username = User.USERNAME_FIELD
    exact = users.filter(**{username: text}).first()
    if exact is not None:
        return exact
    found = _one(
        users.filter(**{f"{username}__iexact": text}),
        "Several people have that username in different cases: enter it exactly.",
    )
    if found is None and "@" in text:
        found = _one(
            users.filter(email__iexact=text),
            "Several people use that email: enter their username instead.",
        )
    if found is None and " " in text:
        full_names = users.annotate(_full_name=Concat("first_name", Value(" "), "last_name"))
        found = _one(
            full_names.filter(_full_name__iexact=text),
            "Several people have that name: enter their username or email instead.",
        )
    return found


def members_context(request, production, can, *, form=None, errors=None, confirm=None):
    """`errors` maps a membership pk to the message shown in its row;
    `confirm` is the membership whose removal is being confirmed (no-JS)."""
    errors = errors or {}
    members = list(
        production.memberships.select_related("user").order_by("-level", "user__username")
    )
    for membership in members:
        membership.error = errors.get(membership.pk, "")
        membership.invited = has_pending_invitation(membership.user)
    return {
        "production": production,
        "can": can,
        "members": members,
        "levels": Level.choices,
        "form": form or AddMemberForm(),
        "confirm": confirm,
    }


def _render(request, production, can, status=200, **kwargs):
    template_name = TEMPLATE
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#members"
    context = members_context(request, production, can, **kwargs)
    # An htmx answer shows its success message in place, next to the table.
    context["oob_messages"] = bool(request.htmx)
    response = render(request, template_name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _done(request, production):
    """After a change: the fresh table for htmx, the page again for a plain form."""
    if request.htmx:
        # The change may have been to the user's own level: look it up again.
        production, can = get_production_for_user(request.user, production.slug)
        return _render(request, production, can)
    return redirect("production_members", production.slug)


def _left(request, production):
    """The user removed themself: they cannot see the members any more."""
    messages.success(request, f"You are no longer a member of {production}.")
    url = reverse("production_list")
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_safe
def production_members(request, slug):
    production, can = get_production_for_user(request.user, slug)
    return _render(request, production, can)


@require_POST
def member_add(request, slug):
    production, can = get_production_for_user(request.user, slug)
    require_to(can, "members")
    form = AddMemberForm(request.POST)
    if form.is_valid():
        level = form.cleaned_data["level"]
        try:
            if form.found_user is not None:
                membership = services.add_member(
                    production, by=request.user, user=form.found_user, level=level
                )
                text = f"Added {membership.user.get_username()} as {Level(level).label.lower()}."
            else:
                membership = services.invite_member(
                    production,
                    by=request.user,
                    email=form.invite_email,
                    level=level,
                    request=request,
                )
                text = (
                    f"Invited {form.invite_email} as {Level(level).label.lower()}: "
                    f"they get an email with a link to set their password "
                    f"(their username is {membership.user.get_username()})."
                )
        except ValidationError as exc:
            form.add_error("who", exc)
        else:
            messages.success(request, text)
            return _done(request, production)
    return _render(request, production, can, 422, form=form)


@require_POST
def member_level(request, pk):
    membership, can = get_membership_for_user(request.user, pk)
    require_to(can, "members")
    production = membership.production
    try:
        level = Level(int(request.POST.get("level", "")))
    except ValueError:
        errors = {membership.pk: "Choose viewer, editor or manager."}
        return _render(request, production, can, 422, errors=errors)
    try:
        changed = services.change_level(membership, by=request.user, level=level)
    except ValidationError as exc:
        return _render(request, production, can, 422, errors={membership.pk: exc.messages[0]})
    if changed.level != membership.level:
        who = changed.user.get_username()
        messages.success(request, f"{who} is now {level.label.lower()}.")
    return _done(request, production)


@require_http_methods(["GET", "POST"])
def member_remove(request, pk):
    """GET asks to confirm (the no-JS way; htmx asks with hx-confirm), POST removes."""
    membership, can = get_membership_for_user(request.user, pk)
    require_to(can, "members")
    production = membership.production
    if request.method == "GET":
        return _render(request, production, can, confirm=membership)
    try:
        services.remove_member(membership, by=request.user)
    except ValidationError as exc:
        return _render(request, production, can, 422, errors={membership.pk: exc.messages[0]})
    if membership.user_id == request.user.pk:
        return _left(request, production)
    messages.success(request, f"Removed {membership.user.get_username()} from {production}.")
    return _done(request, production)


@require_POST
def member_resend_invitation(request, pk):
    membership, can = get_membership_for_user(request.user, pk)
    require_to(can, "members")
    production = membership.production
    try:
        services.resend_invitation(membership, by=request.user, request=request)
    except ValidationError as exc:
        return _render(request, production, can, 422, errors={membership.pk: exc.messages[0]})
    messages.success(request, f"Sent the invitation to {membership.user.email} again.")
    return _done(request, production)


class InvitationAcceptView(PasswordResetConfirmView):
    """The invitee's one-time link: set a password, and be logged in.

    Django's password reset confirmation, so the link stops working once the
    password is set (the token covers the password hash and the last login)
    and the token leaves the address bar before the page is shown. Like its
    parent it needs no login."""

    template_name = "registration/invitation_accept.html"
    reset_url_token = "set-password"
    post_reset_login = True
    # Several backends are configured (django-axes first): name the one that
    # checks passwords, as the login after a password is set needs one.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    title = "Join BTS Tracker"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Welcome! Your password is set and you are logged in.")
        return response

    def get_success_url(self):
        # To the production they were invited to (the list if there are several).
        productions = list(productions_for_user(self.request.user).only("slug")[:2])
        if len(productions) == 1:
            return productions[0].get_absolute_url()
        return reverse("production_list")


invitation_accept = InvitationAcceptView.as_view()
