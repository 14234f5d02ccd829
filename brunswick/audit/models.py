"""The audit log: one append-only row per action, saying the intent and never the content.

Tamper evidence: each event stores the hash of the event before it and its own hash over
its canonical content (a hash chain; see brunswick.audit.chain). On PostgreSQL, database
triggers refuse UPDATE, DELETE and TRUNCATE on the table.
"""

import hashlib
import json

import pgtrigger
from django.conf import settings
from django.db import models

GENESIS = "0" * 64
# What an event's hash covers, in this order (brunswick.audit.chain reads these columns).
CANONICAL_FIELDS = (
    "at", "action", "actor_id", "actor_kind", "actor_role", "object_type", "object_id",
    "extra", "request_id", "previous_hash",
)  # fmt: skip
# Made once: json.dumps with these options builds a new encoder on every call, which was a
# fifth of verify_audit's time over half a million events (docs/performance.md).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)


def canonical_content(
    at, action, actor_id, actor_kind, actor_role, object_type, object_id, extra, request_id,
    previous_hash,
) -> bytes:  # fmt: skip
    """An event's content in one fixed form (the same bytes json.dumps gave before)."""
    content = {
        "at": at.isoformat(timespec="microseconds"),
        "action": action,
        "actor": actor_id,
        "actor_kind": actor_kind,
        "actor_role": actor_role,
        "object_type": object_type,
        "object_id": object_id,
        "extra": extra,
        "request_id": request_id,
        "previous_hash": previous_hash,
    }
    return _ENCODER.encode(content).encode()


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        REPORT_SUBMITTED = "report_submitted", "Report submitted"
        REPORT_FOLLOWED_UP = "report_followed_up", "Reporter signed in to follow up"
        REPORT_FOLLOW_UP_FAILED = "report_follow_up_failed", "Failed follow-up sign-in"
        REPORTER_ADDED_INFORMATION = "reporter_added_information", "Reporter added information"
        REPORT_VIEWED = "report_viewed", "Report viewed"
        SCREENSHOT_VIEWED = "screenshot_viewed", "Screenshot viewed"
        REPORT_CLOSED = "report_closed", "Report closed at triage"
        REPORT_ADDED_TO_CASE = "report_added_to_case", "Report added to a case"
        MESSAGE_TO_REPORTER = "message_to_reporter", "Message sent to the reporter"
        CASE_OPENED = "case_opened", "Case opened"
        CASE_VIEWED = "case_viewed", "Case viewed"
        CASE_LEAD_CHANGED = "case_lead_changed", "Case lead changed"
        CASE_CLOSED = "case_closed", "Case closed"
        CASE_REOPENED = "case_reopened", "Case reopened"
        PERSON_ADDED = "person_added", "Person added"
        PERSON_CHANGED = "person_changed", "Person changed"
        PERSON_VIEWED = "person_viewed", "Person viewed"
        PERSON_LINKED = "person_linked", "Person linked to a case"
        STEP_PROPOSED = "step_proposed", "Ladder step proposed"
        STEP_APPROVED = "step_approved", "Ladder step approved"
        STEP_NOT_APPROVED = "step_not_approved", "Ladder step not approved"
        STEP_COMPLETED = "step_completed", "Ladder step completed"
        STEP_WITHDRAWN = "step_withdrawn", "Ladder step withdrawn"
        REPRESENTATIONS_RECORDED = "representations_recorded", "Representations recorded"
        DECISION_RECORDED = "decision_recorded", "Final decision recorded"
        DECISION_CHANGED = "decision_changed", "Final decision changed"
        REMINDER_SENT = "reminder_sent", "Reminder sent"
        LETTER_DRAFTED = "letter_drafted", "Letter drafted"
        LETTER_EDITED = "letter_edited", "Letter edited"
        LETTER_VIEWED = "letter_viewed", "Letter viewed"
        LETTER_PREVIEWED = "letter_previewed", "Letter PDF preview opened"
        LETTER_SENT_FOR_APPROVAL = "letter_sent_for_approval", "Letter sent for approval"
        LETTER_APPROVED = "letter_approved", "Letter approved"
        LETTER_RENDERED = "letter_rendered", "Letter PDF made"
        LETTER_RENDER_FAILED = "letter_render_failed", "Letter PDF failed"
        LETTER_RENDER_RETRIED = "letter_render_retried", "Letter PDF retried"
        LETTER_DOWNLOADED = "letter_downloaded", "Letter PDF downloaded"
        LETTER_PRINTED = "letter_printed", "Letter printed"
        LETTER_POSTED = "letter_posted", "Letter posted"
        LETTER_EMAIL_REQUESTED = "letter_email_requested", "Letter e-mail requested"
        LETTER_EMAILED = "letter_emailed", "Letter e-mailed"
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGNED_OUT = "signed_out", "Signed out"
        TWO_FACTOR_CHANGED = "two_factor_changed", "Second factor changed"
        SETTINGS_CHANGED = "settings_changed", "Settings changed"
        # Access: who may read what. The audit log can show these alone (ACCESS_ACTIONS).
        STAFF_ENROLLED = "staff_enrolled", "Staff account created"
        ROLE_GRANT_REQUESTED = "role_grant_requested", "Role asked for: waits for the Head Teacher"
        ROLE_GRANTED = "role_granted", "Role granted"
        ROLE_GRANT_CONFIRMED = "role_grant_confirmed", "Role confirmed by the Head Teacher"
        ROLE_GRANT_REFUSED = "role_grant_refused", "Role refused by the Head Teacher"
        ROLE_GRANT_CANCELLED = "role_grant_cancelled", "Role request cancelled"
        ROLE_REMOVED = "role_removed", "Role removed"
        ACCOUNT_DEACTIVATED = "account_deactivated", "Account deactivated"
        ACCOUNT_REACTIVATED = "account_reactivated", "Account reactivated"
        ACCOUNT_CHANGED = "account_changed", "Account details changed"
        PASSWORD_RESET = "password_reset", "Password reset"
        PASSWORD_CHANGED = "password_changed", "Changed their own password"
        OUTBOX_RETRIED = "outbox_retried", "Failed e-mails or jobs tried again"
        AUDIT_VIEWED = "audit_viewed", "Audit log viewed"
        EXPORTED = "exported", "Exported"
        INSIGHT_VIEWED = "insight_viewed", "Insight dashboard viewed"
        PURGED = "purged", "Expired records purged"
        LEGAL_HOLD_PLACED = "legal_hold_placed", "Legal hold placed"
        LEGAL_HOLD_RELEASED = "legal_hold_released", "Legal hold released"
        SUBJECT_ACCESS_REQUESTED = "subject_access_requested", "Subject access request recorded"
        SUBJECT_ACCESS_PACK_MADE = "subject_access_pack_made", "Subject access pack made"
        SUBJECT_ACCESS_COMPLETED = "subject_access_completed", "Subject access request completed"
        ERASURE_APPLIED = "erasure_applied", "Personal data erased"

    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=50, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "reporter" or "system" when there is no staff actor.
    actor_kind = models.CharField(max_length=20, default="staff")
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=50, blank=True)
    # The actor's roles when they acted (roles change; the record must not).
    actor_role = models.CharField(max_length=100, blank=True)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=50, blank=True)
    # Ids and codes only: never report text, names typed by parents or passphrases.
    extra = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["action", "at"]),
        ]
        triggers = [
            pgtrigger.Protect(
                name="audit_events_are_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
            pgtrigger.Trigger(
                name="audit_events_cannot_be_truncated",
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                # The test suite empties every table between tests; only a session that
                # says so at connection time (tests/settings.py) may.
                func=(
                    "IF coalesce(current_setting('brunswick.allow_truncate', true), '') = 'on' "
                    "THEN RETURN NULL; END IF; "
                    "RAISE EXCEPTION 'audit events cannot be truncated';"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def canonical(self) -> bytes:
        """The event's content in one fixed form: what its hash covers. (Not the id: it is
        given by the database on insert; the chain of hashes orders the events.)"""
        return canonical_content(*(getattr(self, name) for name in CANONICAL_FIELDS))

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


# Changes to who may read what: the audit log's "access changes" filter.
ACCESS_ACTIONS = (
    AuditEvent.Action.STAFF_ENROLLED,
    AuditEvent.Action.ROLE_GRANT_REQUESTED,
    AuditEvent.Action.ROLE_GRANTED,
    AuditEvent.Action.ROLE_GRANT_CONFIRMED,
    AuditEvent.Action.ROLE_GRANT_REFUSED,
    AuditEvent.Action.ROLE_GRANT_CANCELLED,
    AuditEvent.Action.ROLE_REMOVED,
    AuditEvent.Action.ACCOUNT_DEACTIVATED,
    AuditEvent.Action.ACCOUNT_REACTIVATED,
    AuditEvent.Action.ACCOUNT_CHANGED,
    AuditEvent.Action.PASSWORD_RESET,
    AuditEvent.Action.PASSWORD_CHANGED,
    AuditEvent.Action.TWO_FACTOR_CHANGED,
)
