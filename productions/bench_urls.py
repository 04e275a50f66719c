"""The project's URLs plus the floor `make bench` compares against."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    """Behind the same login and middleware as every page, and nothing else."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("bts_tracker.urls")),
]
