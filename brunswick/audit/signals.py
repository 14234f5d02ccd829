"""Events nobody calls a service for: signing in and out, failed sign-ins, changes to a
second factor. (Changes made in the admin are recorded by brunswick.audit.admin.)"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalRecords

from .events import audit_record
from .models import AuditEvent


def _acting_user():
    # simple-history's middleware keeps the request; outside a request there is no actor.
    request = getattr(HistoricalRecords.context, "request", None)
    return getattr(request, "user", None)


@receiver(user_logged_in, dispatch_uid="audit.signed_in")
def signed_in(sender, request, user, **kwargs):
    audit_record(action=AuditEvent.Action.SIGNED_IN, obj=user, actor=user)


@receiver(user_logged_out, dispatch_uid="audit.signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditEvent.Action.SIGNED_OUT, obj=user, actor=user)


@receiver(user_login_failed, dispatch_uid="audit.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Never the username typed: it may be a password typed into the wrong box.
    audit_record(action=AuditEvent.Action.SIGN_IN_FAILED, actor_kind="anonymous")


@receiver(pre_save, sender=TOTPDevice, dispatch_uid="audit.two_factor_before")
def _remember_factor(sender, instance, **kwargs):
    # Verifying a code saves the device too (its counters): compare what matters.
    before = TOTPDevice.objects.filter(pk=instance.pk).values_list("key", "confirmed").first()
    instance._audit_before = before


@receiver([post_save, post_delete], sender=TOTPDevice, dispatch_uid="audit.two_factor")
def two_factor_changed(sender, instance, **kwargs):
    before = getattr(instance, "_audit_before", None)
    if kwargs.get("signal") is post_save and before == (instance.key, instance.confirmed):
        return
    actor = _acting_user()
    audit_record(
        action=AuditEvent.Action.TWO_FACTOR_CHANGED,
        obj=instance.user,
        actor=actor,
        # Outside a request: the command line (enrol_staff) or the system.
        actor_kind="staff" if actor is not None and actor.is_authenticated else "system",
    )
