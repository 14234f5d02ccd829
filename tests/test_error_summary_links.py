"""Guard: every link in every error summary goes to the input it is about.

GOV.UK Frontend's error summary focuses the element a link's `#id` names, and scrolls its
label or legend into view; a link to an id that is not on the page does nothing, and one
to a <fieldset> or the <div> around a date's boxes scrolls but leaves focus where it was,
which axe does not notice. The rule (design-system.service.gov.uk/components/error-summary):
radios and checkboxes link to the first of their group, a date to the box with the error
(the day box when the whole date is wrong), anything else to the input itself.

`test_every_error_summary_link_goes_to_the_input_it_is_about` opens every page of
tests/test_url_roles.py as every role that may open it, with a few richer records besides
(a case with a parent, two reports and a legal hold), finds every <form> in the HTML, and
sends each one wrong: every field empty; every field wrong (text too long, a choice not
offered, a date with no month); a date with a 2-digit year; and each radio and checkbox on
its own. A GET form (the inbox filters, the insight period, "Add a step", "Write a letter")
is also sent with each of its options in turn, and the pages that opens (a step form of
each kind, a letter of each kind) are walked the same way. Forms are read from the page,
never from a list of fields, so a field added tomorrow is walked too. In every response,
every link in `.govuk-error-summary` must name an input, select or textarea on the page:
the first of its radios or checkboxes, and for a date the box marked with the error.

It also fails when a form of the project (tests/test_form_messages.FORMS) was never seen
with errors, so the walk cannot quietly miss one: give it the page the form is on.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from brunswick.forms import GovukDateField, GovukForm
from brunswick.retention.models import LegalHold
from tests.conftest import sign_in
from tests.factories import CaseFactory, LadderStepFactory, PersonFactory, ReportFactory
from tests.test_form_messages import FORMS, OWN_SUMMARY, _build
from tests.test_url_roles import OK, ROLES, TABLE, World, build_world

pytestmark = pytest.mark.django_db

# Over every limit of the portal's text: 10,000 characters for a textarea, 200 for a line,
# and 255 for any column behind a line (django-axes keeps the sign-in's username in one).
TOO_LONG_TEXT, TOO_LONG_LINE = "x" * 10_001, "x" * 300
NOT_OFFERED = "not-one-of-the-choices"

# ---------------------------------------------------------------------------------------
# A small DOM, from Python's own HTML parser.

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parent: "Element | None" = None
    children: list["Element"] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def walk(self) -> Iterator["Element"]:
        for child in self.children:
            yield child
            yield from child.walk()

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestors(self) -> Iterator["Element"]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def words(self) -> str:
        return " ".join(
            " ".join(part for part in [*self.text, *(c.words() for c in self.children)]).split()
        )


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Element("#document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.node)
        self.node.children.append(element)
        if tag not in VOID:
            self.node = element

    def handle_endtag(self, tag):
        for node in [self.node, *self.node.ancestors()]:
            if node.tag == tag:
                self.node = node.parent or self.root
                return

    def handle_data(self, data):
        self.node.text.append(data)


def parse(html: str) -> Element:
    tree = _Tree()
    tree.feed(html)
    return tree.root


# ---------------------------------------------------------------------------------------
# The forms on a page, and how to send them wrong.

CONTROLS = {"input", "select", "textarea"}
NOT_SENT = {"submit", "button", "reset", "image", "file"}


def _kind(control: Element) -> str:
    if control.tag != "input":
        return control.tag
    kind = control.attrs.get("type", "text").lower()
    if kind == "text" and "govuk-date-input__input" in control.classes():
        return "date"
    return kind


@dataclass
class PageForm:
    method: str
    url: str  # Where it is sent.
    controls: list[Element]

    def sent(self) -> list[Element]:
        return [c for c in self.controls if c.attrs.get("name") and _kind(c) not in NOT_SENT]

    def visible(self) -> list[Element]:
        return [c for c in self.sent() if _kind(c) != "hidden"]

    def signature(self) -> tuple:
        return (
            self.method,
            urlsplit(self.url).path,
            *sorted({c.attrs["name"] for c in self.sent()}),
        )

    def hidden(self) -> list[tuple[str, str]]:
        return [
            (c.attrs["name"], c.attrs.get("value", "")) for c in self.sent() if _kind(c) == "hidden"
        ]

    def choices(self) -> dict[str, list[str]]:
        """Every radio, checkbox and (for a GET form) select, with the values it offers."""
        found: dict[str, list[str]] = {}
        for control in self.visible():
            name, kind = control.attrs["name"], _kind(control)
            if kind in ("radio", "checkbox"):
                found.setdefault(name, []).append(control.attrs.get("value", "on"))
            elif kind == "select" and self.method == "get":
                found[name] = [
                    o.attrs.get("value", o.words()) for o in control.walk() if o.tag == "option"
                ]
        return found

    def as_shown(self) -> list[tuple[str, str]]:
        """What a browser sends for the form untouched."""
        data = []
        for control in self.sent():
            name, kind = control.attrs["name"], _kind(control)
            if kind in ("radio", "checkbox"):
                if "checked" in control.attrs:
                    data.append((name, control.attrs.get("value", "on")))
            elif kind == "select":
                options = [o for o in control.walk() if o.tag == "option"]
                chosen = [o for o in options if "selected" in o.attrs] or options[:1]
                data += [(name, o.attrs.get("value", o.words())) for o in chosen]
            elif kind == "textarea":
                data.append((name, control.words()))
            else:
                data.append((name, control.attrs.get("value", "")))
        return data


def page_forms(document: Element, page_url: str) -> list[PageForm]:
    found, by_id = [], {}
    for element in document.walk():
        if element.tag == "form":
            method = element.attrs.get("method", "get").lower()
            url = urljoin(page_url, element.attrs.get("action") or page_url)
            made = PageForm(method, url, [c for c in element.walk() if c.tag in CONTROLS])
            found.append(made)
            if element.attrs.get("id"):
                by_id[element.attrs["id"]] = made
    for element in document.walk():  # Controls outside their form, joined by form="id".
        if element.tag in CONTROLS and element.attrs.get("form") in by_id:
            by_id[element.attrs["form"]].controls.append(element)
    return found


def _date_boxes(form: PageForm, day: str, month: str, year: str) -> list[tuple[str, str]]:
    typed = {"0": day, "1": month, "2": year}
    return [
        (c.attrs["name"], typed.get(c.attrs["name"].rsplit("_", 1)[-1], ""))
        for c in form.visible()
        if _kind(c) == "date"
    ]


def _empty(form: PageForm) -> list[tuple[str, str]]:
    return form.hidden() + [
        (c.attrs["name"], "") for c in form.visible() if _kind(c) not in ("radio", "checkbox")
    ]


def _wrong(form: PageForm) -> list[tuple[str, str]]:
    data = form.hidden()
    for control in form.visible():
        name, kind = control.attrs["name"], _kind(control)
        if kind in ("radio", "checkbox", "select"):
            data.append((name, NOT_OFFERED))
        elif kind == "email":
            data.append((name, "not an email address"))
        elif kind == "textarea":
            data.append((name, TOO_LONG_TEXT))
        elif kind != "date":
            data.append((name, TOO_LONG_LINE))
    return data + _date_boxes(form, "1", "", "2026")


def variants(form: PageForm) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Each way of sending this form wrong, named."""
    yield "every field empty", _empty(form)
    yield "every field wrong", _wrong(form)
    if any(_kind(c) == "date" for c in form.visible()):
        dates = _date_boxes(form, "1", "2", "26")
        names = {name for name, _ in dates}
        yield "2-digit years", [(n, v) for n, v in _empty(form) if n not in names] + dates
    base = form.as_shown() if form.method == "get" else _empty(form)
    for name, values in form.choices().items():
        for value in values:
            yield f"{name}={value}", [(n, v) for n, v in base if n != name] + [(name, value)]


# ---------------------------------------------------------------------------------------
# What a link in the summary must go to.


def _owner(control: Element, document: Element) -> Element | None:
    if control.attrs.get("form"):
        return next(
            (e for e in document.walk() if e.attrs.get("id") == control.attrs["form"]), None
        )
    return next((a for a in control.ancestors() if a.tag == "form"), None)


def _expected(target: Element, document: Element) -> Element:
    """The input a link to `target`'s field should go to."""
    kind = _kind(target)
    if kind in ("radio", "checkbox"):
        owner = _owner(target, document)
        group = [
            e
            for e in document.walk()
            if e.tag == "input"
            and _kind(e) == kind
            and e.attrs.get("name") == target.attrs.get("name")
            and _owner(e, document) is owner
        ]
        return group[0]
    if kind == "date":
        date_input = next(a for a in target.ancestors() if "govuk-date-input" in a.classes())
        boxes = [e for e in date_input.walk() if e.tag == "input"]
        marked = [box for box in boxes if "govuk-input--error" in box.classes()]
        return marked[0] if len(marked) == 1 else boxes[0]
    return target


def link_faults(html: str) -> list[tuple[str, str]]:
    """(link text, what is wrong) for every summary link that does not go to its input."""
    document = parse(html)
    ids = {e.attrs["id"]: e for e in document.walk() if e.attrs.get("id")}
    faults = []
    for summary in (e for e in document.walk() if "govuk-error-summary" in e.classes()):
        for link in (e for e in summary.walk() if e.tag == "a"):
            text, href = link.words(), link.attrs.get("href", "")
            target = ids.get(href[1:]) if href.startswith("#") else None
            if target is None:
                faults.append((text, f"goes to {href!r}, which is not on the page"))
            elif target.tag not in CONTROLS or _kind(target) == "hidden":
                faults.append((text, f"goes to <{target.tag} id={href[1:]!r}>, not an input"))
            elif (wanted := _expected(target, document)) is not target:
                faults.append((text, f"goes to {href!r}, not to #{wanted.attrs.get('id')}"))
    return faults


def has_summary(html: str) -> bool:
    return "govuk-error-summary" in html


# ---------------------------------------------------------------------------------------
# The walk.


def _richer(world: World) -> list[tuple[str, str]]:
    """Records the URL table's own do not have, and (role, URL) for the pages showing
    them: a case with a parent and two reports (letters of each kind, a step of each kind,
    the draft's report checkboxes) and one on legal hold (its release form)."""
    case = CaseFactory(lead=world.slt)
    person = PersonFactory(created_by=world.slt)
    case.people.add(person)
    ReportFactory(case=case, reporter_name="Priya Reporter")
    ReportFactory(case=case)
    LadderStepFactory(case=case, kind="warning_letter", person=person)
    held = CaseFactory(lead=world.slt)
    LegalHold.objects.create(case=held, reason="A claim", placed_by=world.head_teacher)
    pages = [(role, reverse("cases:detail", args=[case.id])) for role in ("slt", "head_teacher")]
    return [*pages, ("head_teacher", reverse("retention:case_hold_release", args=[held.id]))]


@dataclass
class Walk:
    clients: dict[str, Client]
    faults: list[str] = field(default_factory=list)
    with_errors: set[str] = field(default_factory=set)  # Form classes seen with errors.
    seen_forms: set[tuple] = field(default_factory=set)
    seen_pages: set[tuple[str, str]] = field(default_factory=set)

    def page(self, role: str, url: str, depth: int = 0) -> None:
        if (role, url) in self.seen_pages or depth > 2:
            return
        self.seen_pages.add((role, url))
        response = self.clients[role].get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            return
        html = response.content.decode()
        self.check(role, url, "as it opens", response, html)
        for form in page_forms(parse(html), "http://testserver" + url):
            if not form.visible() or form.signature() in self.seen_forms:
                continue  # Sign out, "Close the case": nothing a summary could link to.
            self.seen_forms.add(form.signature())
            for name, data in variants(form):
                self.send(role, form, name, data, depth)

    def send(self, role: str, form: PageForm, name: str, data, depth: int) -> None:
        client, path = self.clients[role], urlsplit(form.url).path
        if form.method == "get":
            url = f"{path}?{urlencode(data)}"
            response = client.get(url)
            if response.status_code == 200 and not has_summary(response.content.decode()):
                self.page(role, url, depth + 1)  # A page this choice opens: walk it too.
        else:  # To the form's own address, query and all (?kind=... on a letter).
            query = urlsplit(form.url).query
            response = client.post(f"{path}?{query}" if query else path, _as_post(data))
        if "text/html" in response.get("Content-Type", ""):
            self.check(
                role, f"{form.method.upper()} {path}", name, response, response.content.decode()
            )

    def check(self, role: str, where: str, variant: str, response, html: str) -> None:
        if not has_summary(html):
            return
        self.with_errors |= _form_classes(response)
        for text, fault in link_faults(html):
            self.faults.append(f"{where} as {role}, {variant}: {text!r} {fault}")


def _as_post(data: list[tuple[str, str]]) -> dict[str, list[str]]:
    posted: dict[str, list[str]] = {}
    for name, value in data:
        posted.setdefault(name, []).append(value)
    return posted


def _form_classes(response) -> set[str]:
    """The project's form classes in the page's context that carry errors."""
    found = set()
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in filter(None, contexts):
        for value in context.flatten().values():
            for each in value if isinstance(value, list | tuple) else [value]:
                candidate = getattr(each, "form", each)
                if isinstance(candidate, forms.BaseForm) and candidate.errors:
                    found |= {
                        f"{c.__module__}.{c.__qualname__}" for c in type(candidate).__mro__
                    } & set(FORMS)
    return found


def _pages(world: World) -> list[tuple[str, str]]:
    pages = []
    for name, row in TABLE.items():
        if name.startswith("admin:"):
            continue  # Django's admin shows its own errors ("Please correct the errors below").
        url = reverse(name, kwargs=row.kwargs(world))
        pages += [
            (role, url) for role, answer in zip(ROLES, row.expected, strict=True) if answer == OK
        ]
    return pages + _richer(world)


@pytest.fixture
def walk(groups, office, slt, head_teacher, admin_user) -> Walk:
    world = build_world(office, slt, head_teacher, admin_user)
    reporter = Client()
    reporter.post(
        "/follow-up/",
        {"reference": world.report.reference, "passphrase": "apple banana cherry damson elder"},
    )
    clients = {
        "anonymous": Client(),
        "reporter": reporter,
        **{role: sign_in(Client(), getattr(world, role)) for role in ROLES[2:]},
    }
    done = Walk(clients)
    for role, url in _pages(world):
        done.page(role, url)
    return done


def _has_visible_fields(name: str) -> bool:
    return any(form.visible_fields() for form in _build(name))


@pytest.mark.timeout(600)
def test_every_error_summary_link_goes_to_the_input_it_is_about(walk):
    # Every form must have been seen with errors, or the walk proved nothing about it. A
    # form with nothing to fill in ("Close the case") has no field a summary could name;
    # the admin's forms show Django's own errors.
    expected = {
        name
        for name in FORMS
        if name not in OWN_SUMMARY - {"letters.office_views.PostedForm"}
        and _has_visible_fields(name)
    }
    unseen = sorted(expected - walk.with_errors)
    problems = [
        *(f"never seen with errors (give the walk the page it is on): {n}" for n in unseen),
        *sorted(set(walk.faults)),
    ]
    assert not problems, "error summary links that do not focus their input:\n" + "\n".join(
        problems
    )


# ---------------------------------------------------------------------------------------
# The rule for errors the walk cannot provoke from the page alone.


class _Meeting(GovukForm):
    day = GovukDateField(label="Date of the meeting")
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def _summary(form) -> str:
    """The form's error summary and its fields, as a page renders them."""
    fields = "".join(str(as_crispy_field(form[name])) for name in form.fields)
    return render_to_string("gds/layout/error_summary.html", {"form": form}) + fields


def test_an_error_added_to_a_date_after_its_boxes_were_checked_goes_to_the_day_box():
    """The ladder's refusals and clean()'s "Enter the start date" are added to the field,
    not to a box: they go to the day box, not the <div> around the boxes."""
    form = _Meeting({"day_0": "3", "day_1": "4", "day_2": "2026", "kind": "a"})
    form.is_valid()
    form.add_error("day", "The meeting date must be after the step was proposed")
    html = _summary(form)
    assert 'href="#id_day_0"' in html
    assert link_faults(html) == []


def test_an_error_of_the_whole_form_goes_to_its_first_input():
    form = _Meeting({"day_0": "3", "day_1": "4", "day_2": "2026", "kind": "a"})
    form.is_valid()
    form.add_error(None, "Someone else changed this case")
    html = _summary(form)
    assert 'href="#id_day_0"' in html
    assert link_faults(html) == []
