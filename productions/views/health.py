"""/health/ for a load balancer: 200 while the database answers, else 503.

No login, no data: the answer says only whether this app server can reach
its database. Django's own connection is used, so a probe also finds out
whether this process has reconnected after an outage."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ..middleware import DATABASE_DOWN, RETRY_AFTER_SECONDS


@login_not_required
@never_cache
@require_safe
def health(request):
    try:
        connection.ensure_connection()
        usable = connection.is_usable()  # a SELECT 1 on PostgreSQL
    except DATABASE_DOWN:
        usable = False
    if usable:
        return HttpResponse("ok\n", content_type="text/plain")
    response = HttpResponse("database unavailable\n", content_type="text/plain", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
