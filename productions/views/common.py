"""Small helpers the view modules share."""

import copy

from django.utils import timezone

DETAIL = "productions/production_detail.html"


def stage_url(stage):
    return f"{stage.production.get_absolute_url()}#stage-{stage.pk}"


def conflict_message(current):
    who = current.updated_by.get_username() if current.updated_by else "someone"
    when = timezone.localtime(current.updated_at).strftime("%H:%M") if current.updated_at else ""
    at = f" at {when}" if when else ""
    return (
        f"Changed by {who}{at} — here is their version. "
        "Your text is kept below: save again to replace theirs."
    )


def rebased(form, current, **kwargs):
    """The user's form, their text unchanged, but carrying the current version:
    saving it again replaces the other person's change knowingly."""
    data = form.data.copy()
    data["version"] = current.version
    # A copy: validating a model form writes its values onto the instance, and
    # `current` is shown beside it as their version.
    again = type(form)(data, instance=copy.copy(current), auto_id=form.auto_id, **kwargs)
    again.is_valid()
    return again
