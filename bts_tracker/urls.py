from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from productions.views.health import health
from productions.views.members import invitation_accept
from productions.views.password_reset import password_reset

admin.site.site_header = "BTS Tracker admin"
admin.site.site_title = "BTS Tracker admin"


@login_not_required
def favicon(request):
    # Browsers (and the admin pages) ask for /favicon.ico whatever the page says.
    return redirect(static("favicon.svg"), permanent=True)


# The database down answers 503, wherever in the request it failed.
handler500 = "productions.middleware.server_error"

urlpatterns = [
    path("favicon.ico", favicon),
    # For a load balancer: 200 while the database answers, else 503 (no login).
    path("health/", health, name="health"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's password reset, with our templates (its views need no login).
    # Throttled, and the mail goes out from the task worker.
    path("password-reset/", password_reset, name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The one-time link in an invitation to join a production.
    path("invite/<uidb64>/<token>/", invitation_accept, name="invitation_accept"),
    path("admin/", admin.site.urls),
    path("", include("productions.urls")),
]
