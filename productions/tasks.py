"""Work done outside the request by the task worker (settings.TASKS;
`manage.py db_worker`, which `make run` starts beside the server)."""

from django.contrib.auth.forms import PasswordResetForm
from django.tasks import task

RESET_SUBJECT = "registration/password_reset_subject.txt"
RESET_EMAIL = "registration/password_reset_email.txt"


@task
def send_password_reset(email: str, domain: str, use_https: bool) -> None:
    """Email a reset link to each active account with `email` (nobody when
    there is none): Django's PasswordResetForm, run here so a request for an
    unknown email takes as long as one for a known email (looking the
    account up, making its token and sending the mail all happen here)."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=RESET_SUBJECT,
            email_template_name=RESET_EMAIL,
        )
