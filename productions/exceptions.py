"""What a service refuses, for views to turn into an answer."""

from django.http import Http404


class Gone(Http404):
    """The object was deleted (or moved to the trash) while someone worked on it.

    A subclass of Http404, so an unhandled one is a plain 404, like any other
    missing object."""


class Conflict(Exception):
    """Someone else saved the object since the form was opened.

    `current` is the object as it is now (their version)."""

    def __init__(self, current):
        super().__init__(f"{current} was changed by someone else.")
        self.current = current


class NeedsConfirmation(Exception):
    """The change is allowed but surprising: ask the user to confirm it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class StageGated(Exception):
    """A stage cannot be set to Done while required items are open.

    Unlike NeedsConfirmation this cannot be overridden: the required items
    must be ticked (or stop being required) first."""

    def __init__(self, message, titles=(), more=0):
        super().__init__(message)
        self.message = message
        self.titles = list(titles)
        self.more = more
