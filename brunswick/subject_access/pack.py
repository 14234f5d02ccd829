"""The subject access pack: what the portal holds about one person, with other people's
personal data redacted. This module gathers it; pack_rows.py turns each record's personal
fields (as brunswick.retention.personal_data declares them) into rows; pack_files.py
makes the PDF and the ZIP.

In the pack:
- their register entry, as held (their own data, not redacted), their subject access
  requests, the holds placed on their records and, if it happened, their erasure;
- every case they are linked to, with its reports (dates, group, categories, who posted
  it, the description, messages), the steps about them or about the whole case, the final
  decision, the holds on the case, and the letters addressed to them with their text;
- the working copies of the reports' screenshots, in the ZIP (never the sealed originals).

Redacted, and listed in the appendix (where and what kind, never the value): every
reporter's identity (name, e-mail, phone, relationship); the names, group names, e-mail
addresses, postal addresses and children's names of the other people on the register
linked to the same cases; each wherever it appears in free text and in the forms people
write it (a first name or surname alone, a title with the surname, a name with an
initial, an address line without its house number, the postcode: redaction.py); and any
other phone number, e-mail address or postcode in free text that is not the requester's
own. Never redacted: the requester's own names (so another parent who shares their
surname is not found by the surname alone), address and contacts, and the school's. Where
a word could be someone else's, the pack redacts it: it is a copy, and the Head Teacher
can put a word back by hand; erasure, which changes the only record, does the opposite
(erasure.py). Staff names stay: they act as the school's officers (one that is also a
third party's surname is redacted where it stands alone in free text). Report references
are left out: with a passphrase they open the reporter's follow-up page, and rate limits
per reference would let someone holding one lock the reporter out.

Withheld, and listed with the reason: steps about another parent, letters to anyone else,
the file names of reporters' screenshots, and the free text of case-wide records when the
case is about more than one person. A case-wide record (the case's title, the final
decision's reasons, a step recorded for the whole case rather than for one person, a hold
on the case) is about everyone on the case at once; written for staff, it routinely
weighs one parent's conduct against another's. UK GDPR Article 15(4) says the right of
access must not adversely affect the rights and freedoms of others, and redacting names
does not make such text about the requester alone. So when the requester is the only
person on the case it is theirs and is included in full (redacted like any text); when
there are others, its facts (kind, status, dates, outcome) are included and its words are
replaced by "[withheld: about the case as a whole]" and listed, for the Head Teacher to
read on the case page and release by hand where that is fair to the others.

A document that cannot be made (a letter whose template version no longer renders, a
screenshot whose file cannot be read) is left out on its own, whatever the error, and
listed under "Not included" with the reason; everything else still goes in.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from brunswick.retention.models import LegalHold
from brunswick.retention.personal_data import PERSONAL
from brunswick.school.models import SchoolSettings
from cases.models import Case, CaseReopening, LadderStep, Person
from letters.models import Letter
from reports.models import Message, Report, Screenshot

from .models import SubjectAccessRequest
from .pack_records import NotIncluded, PackCase, PackRecords, Section
from .pack_rows import PackRows, Row, Withheld
from .redaction import (
    REPORTER,
    THIRD_PARTY,
    Needle,
    Redaction,
    Redactor,
    address_needles,
    name_forms,
    person_needles,
)

__all__ = ["NotIncluded", "Pack", "pack_gather"]


@dataclass
class Pack:
    request: SubjectAccessRequest
    register: list[Row]
    requests: list[Section]
    holds: list[Section]
    erasure: Section | None
    cases: list[PackCase]
    redactions: list[Redaction]
    withheld: list[Withheld]
    screenshots: list[tuple[str, Screenshot]]  # (name in the ZIP, screenshot)
    made_at: datetime
    not_included: list[NotIncluded] = field(default_factory=list)

    @property
    def shares_a_case(self) -> bool:
        return any(case.shared for case in self.cases)

    @property
    def counts(self) -> dict[str, int]:
        """For the audit event: how much went in, never what."""
        return {
            "cases": len(self.cases),
            "reports": sum(len(case.reports) for case in self.cases),
            "steps": sum(len(case.steps) for case in self.cases),
            "letters": sum(len(case.letters) for case in self.cases),
            "messages": sum(len(r.messages) for case in self.cases for r in case.reports),
            "screenshots": len(self.screenshots),
            "redactions": sum(r.count for r in self.redactions),
            "withheld": len(self.withheld),
            "not_included": len(self.not_included),
        }


def pack_gather(request: SubjectAccessRequest) -> Pack:
    """Everything about the request's person, redacted, ready for the PDF and the ZIP.
    Never raises because one letter cannot be made: see Pack.not_included."""
    person = request.person
    cases = _cases(person)
    redactor = Redactor(
        _others(person, cases), keep=_own_values(person, cases), contacts=THIRD_PARTY
    )
    records = PackRecords(person, PackRows(redactor))
    gathered = [records.case(case) for case in cases]
    return Pack(
        request=request,
        register=records.register(),
        requests=records.requests(),
        holds=records.person_holds(),
        erasure=records.erasure(),
        cases=gathered,
        redactions=redactor.log,
        withheld=records.rows.withheld,
        screenshots=records.screenshots,
        made_at=timezone.now(),
        not_included=records.not_included,
    )


def _cases(person: Person) -> list[Case]:
    steps = LadderStep.objects.select_related("proposed_by", "decided_by", "withdrawn_by")
    reports = (
        Report.objects.select_related("group")
        .prefetch_related(
            "categories",
            Prefetch("messages", Message.objects.order_by("sent_at", "id")),
            Prefetch("screenshots", Screenshot.objects.exclude(working="").order_by("id")),
        )
        .order_by("submitted_at", "id")
    )
    letters = Letter.objects.select_related("template_version", "person", "approved_by")
    holds = LegalHold.objects.select_related("placed_by", "released_by").order_by("placed_at")
    reopenings = CaseReopening.objects.select_related("reopened_by").order_by("reopened_at")
    return list(
        person.cases.select_related("lead", "decision__decided_by")
        .prefetch_related(
            Prefetch("steps", steps.order_by("proposed_at", "id")),
            Prefetch("reports", reports),
            Prefetch("letters", letters.order_by("drafted_at", "id")),
            Prefetch("legal_holds", holds),
            Prefetch("reopenings", reopenings),
            "people",
        )
        .order_by("opened_at", "id")
    )


def _others(person: Person, cases: list[Case]) -> list[Needle]:
    """Reporters first: a value that is both a reporter's and a parent's is a reporter's."""
    reports = [report for case in cases for report in case.reports.all()]
    reporters = [
        Needle(value, what, REPORTER)
        for report in reports
        for value, what in (
            (report.reporter_name, "a reporter's name"),
            (report.reporter_email, "a reporter's e-mail address"),
            (report.reporter_phone, "a reporter's phone number"),
        )
        if value.strip()
    ] + [
        needle
        for report in reports
        for needle in name_forms(report.reporter_name, "a reporter's name", REPORTER)
    ]
    others = {other.id: other for case in cases for other in case.people.all()}
    others.pop(person.id, None)
    third = [n for o in others.values() for n in person_needles(o, "another person", THIRD_PARTY)]
    return reporters + third


def _own_values(person: Person, cases: list[Case]) -> list[str]:
    """What is never redacted from their pack: their register entry's names (in every form
    they are written), address and contacts (numbers in their group names included), the
    names, addresses and e-mail addresses the school wrote to them with, and the school's
    own name, address, contacts and the names of the staff it gives in letters."""
    school = SchoolSettings.current()
    addressed = PERSONAL[Letter].identity + PERSONAL[Letter].contact
    letters_to_them = [
        letter for case in cases for letter in case.letters.all() if letter.person_id == person.id
    ]
    as_addressed = [
        *(getattr(letter, name) for letter in letters_to_them for name in addressed),
        *(n.value for letter in letters_to_them for n in name_forms(letter.addressee_name, "", "")),
        *(
            n.value
            for letter in letters_to_them
            for n in address_needles(letter.addressee_address, "", "")
        ),
    ]
    return [
        *(needle.value for needle in person_needles(person, "their", "")),
        *as_addressed,
        school.name,
        school.address,
        *(needle.value for needle in address_needles(school.address, "", "")),
        school.phone,
        school.email,
        school.dsl_name,
        school.dsl_contact,
        school.signatory_name,
    ]
