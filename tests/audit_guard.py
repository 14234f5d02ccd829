"""Guard: every change the portal makes is on the audit chain, in the same transaction.

Checked after every test, for every model of the project's apps (their simple-history
rows included) and the staff's roles: each row the portal's own code saves or deletes
must share its transaction with at least one audit event. A write with no audit event
beside it, or one made outside any transaction (so it cannot share one), fails the test
that made it, naming the model and the line. Nobody has to remember: a new model, view,
task or command is checked the first time a test runs it.

How it knows:
- which transaction: Django's atomic blocks are counted per connection; a write belongs
  to the outermost block the test did not open itself (the portal's own);
- who wrote: the frames that led to the write. Writes made by a test or a factory to
  set up a scene are not the portal's; code that runs because a signal was sent (keeping
  is_staff in step with the Admin role, say) belongs to whoever sent the signal.

The exemptions below are the whole list, each with its reason.
"""

import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

BASE = Path(__file__).resolve().parent.parent
PORTAL = tuple(
    str(BASE / name) + "/" for name in ("brunswick", "reports", "cases", "letters", "insight")
)
TESTS = str(BASE / "tests") + "/"
DISPATCHER = "django/dispatch/dispatcher.py"

# Models whose rows are not changes of the school's records.
EXEMPT_MODELS = {
    "audit.auditevent": "the chain itself",
    "outbox.outboxmessage": "delivery bookkeeping of a job whose cause is audited",
    "retention.pendingfiledeletion": (
        "the list of files still to delete after an audited purge; a row is forgotten "
        "once its file is gone"
    ),
}
# Code whose writes need no event of their own, and why.
EXEMPT_CODE = {
    ("brunswick/school/models.py", "current"): "the settings row, made with its defaults",
    ("brunswick/retention/models.py", "current"): "the schedule row, made with its defaults",
    ("reports/screenshots.py", "screenshot_stage"): (
        "a file on a form not yet sent: report_submitted or reporter_added_information "
        "records it when it is attached"
    ),
    ("reports/services.py", "screenshot_stage"): "as above",
    ("reports/services.py", "_unsent_delete"): (
        "files on a form, never attached to a report, belonging to no record: the parent "
        "removing one, the copies a double-click staged, those of forms never sent (after a "
        "day)"
    ),
    ("brunswick/school/management/commands/seed_demo.py", None): "made-up demo data",
}


@dataclass(frozen=True)
class Write:
    what: str
    where: str
    transaction: object  # The portal's own atomic block, or None.


class Ledger:
    """What the portal wrote and audited during one test."""

    def __init__(self):
        self.lock = threading.Lock()
        self.active = False
        self.base: dict[int, int] = {}  # Thread id -> atomic depth the test itself opened.
        self.writes: list[Write] = []
        self.audited: set[object] = set()
        self.rolled_back: set[object] = set()  # Blocks left by an exception: undone.

    def start(self) -> None:
        with self.lock:
            self.writes, self.audited, self.rolled_back = [], set(), set()
            self.active = True
            self.base = {threading.get_ident(): len(_stack(transaction.get_connection()))}

    def stop(self) -> list[Write]:
        with self.lock:
            self.active = False
            kept = [w for w in self.writes if w.transaction not in self.rolled_back]
            return [w for w in kept if w.transaction is None or w.transaction not in self.audited]

    def portal_transaction(self, using: str):
        stack = _stack(transaction.get_connection(using))
        depth = self.base.get(threading.get_ident(), 0)
        return stack[depth] if len(stack) > depth else None


LEDGER = Ledger()


def _stack(connection) -> list:
    return connection.__dict__.setdefault("_audit_guard_atomics", [])


def _count_atomic_blocks() -> None:
    """Each atomic block gets a token on its connection while it is open."""
    atomic = transaction.Atomic
    if getattr(atomic, "_audit_guard", False):
        return
    enter, exit_ = atomic.__enter__, atomic.__exit__

    def counted_enter(self):
        enter(self)
        _stack(transaction.get_connection(self.using)).append(object())

    def counted_exit(self, exc_type, exc_value, traceback):
        stack = _stack(transaction.get_connection(self.using))
        token = stack.pop() if stack else None
        if exc_type is not None and token is not None and LEDGER.active:
            with LEDGER.lock:
                LEDGER.rolled_back.add(token)
        return exit_(self, exc_type, exc_value, traceback)

    atomic.__enter__, atomic.__exit__, atomic._audit_guard = counted_enter, counted_exit, True


def _cause() -> str | None:
    """The portal's line that caused the write, or None if a test set it up (or it is
    exempt). Walks out from the signal that reported the write."""
    frame = sys._getframe(2)
    while frame and DISPATCHER not in frame.f_code.co_filename:
        frame = frame.f_back  # Out to the signal that reported the write.
    seen = []
    while frame:
        filename = frame.f_code.co_filename
        if filename.startswith(TESTS):
            break
        if DISPATCHER in filename:
            seen = []  # Receivers of a signal act for whoever sent it.
        elif filename.startswith(PORTAL):
            relative = filename[len(str(BASE)) + 1 :]
            if "/migrations/" in relative:
                return None
            for (path, function), _reason in EXEMPT_CODE.items():
                if relative == path and function in (None, frame.f_code.co_name):
                    return None
            if not relative.endswith(("models.py", "signals.py")):
                seen.append(f"{relative}:{frame.f_lineno} {frame.f_code.co_name}")
        frame = frame.f_back
    return seen[0] if seen else None


def _portal_model(model) -> bool:
    label = model._meta.label_lower
    if label in EXEMPT_MODELS:
        return False
    module = sys.modules.get(model.__module__)
    filename = getattr(module, "__file__", "") or ""
    return filename.startswith(PORTAL) or label == "accounts.user_groups"


def _record(model, what: str, using: str) -> None:
    if not LEDGER.active or not _portal_model(model):
        return
    cause = _cause()
    if cause is None:
        return
    write = Write(f"{model._meta.label} {what}", cause, LEDGER.portal_transaction(using))
    with LEDGER.lock:
        LEDGER.writes.append(write)


def _saved(sender, instance, created, using, **kwargs):
    if sender._meta.label_lower == "audit.auditevent":
        if LEDGER.active and (token := LEDGER.portal_transaction(using)) is not None:
            with LEDGER.lock:
                LEDGER.audited.add(token)
        return
    _record(sender, "created" if created else "changed", using)


def _deleted(sender, instance, using, **kwargs):
    _record(sender, "deleted", using)


def _related(sender, instance, action, using, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _record(sender, action.removeprefix("post_"), using)


def pytest_configure(config):
    _count_atomic_blocks()
    post_save.connect(_saved, dispatch_uid="audit_guard.saved", weak=False)
    post_delete.connect(_deleted, dispatch_uid="audit_guard.deleted", weak=False)
    m2m_changed.connect(_related, dispatch_uid="audit_guard.related", weak=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    LEDGER.start()
    try:
        result = yield
    finally:
        unaudited = LEDGER.stop()
    if unaudited:
        lines = "\n".join(
            f"  {w.what} at {w.where}" + ("" if w.transaction else " (outside any transaction)")
            for w in dict.fromkeys(unaudited)
        )
        pytest.fail(
            "changes with no audit event in the same transaction "
            f"(brunswick.audit.events.audit_record; exemptions in tests/audit_guard.py):\n{lines}",
            pytrace=False,
        )
    return result
