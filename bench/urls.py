"""The portal's URLs plus the floor: a fixed small page through the same middleware."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path

from brunswick.urls import handler400, handler403, handler404, handler500

FLOOR_BODY = b"<!doctype html><title>floor</title><p>A fixed small page.</p>"


@login_not_required
def floor(request):
    """No database, no template: what the framework and middleware alone cost."""
    return HttpResponse(FLOOR_BODY)


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("brunswick.urls")),
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
