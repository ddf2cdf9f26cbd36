"""Driving the conversation pages like a browser: find a form on a page, take the values
it would send, change what the user changes, and post it.

Used by the page tests of conversations, agreements and the work plan. Every step goes
through the web pages with Django's test client; nothing here calls a service.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
# A small but valid PDF (what check_document looks for is the leading ``%PDF-``).
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def travel(time_machine, day: datetime.date, hour: int = 10, minute: int = 0, *, browsers=()) -> None:
    """Make ``day`` at ``hour:minute`` (Amsterdam) the current moment, standing still.

    Sessions last a working day, so the ``browsers`` log in again on the new day."""
    moment = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)
    time_machine.move_to(moment, tick=False)
    for client in browsers:
        client.force_login(client.user)


class Browser(Client):
    """A test client that remembers who is logged in."""

    user = None


def browser(user, *, language: str | None = "en") -> Browser:
    """A separate browser session for ``user`` (English unless told otherwise, so that
    messages can be read; data such as names and the regulation's labels stay as they are)."""
    client = Browser()
    client.user = user
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def html(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    """The messages shown at the top of the page (``gc-alert`` boxes)."""
    return [
        unescape(re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(r'<div class="gc-alert[^"]*"><p>(.*?)</p></div>', html(response), re.S)
    ]


# -- forms -------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # every named control, sent or not
    page_url: str = ""  # where the form was loaded from (the target of action="")

    def data(self) -> dict[str, object]:
        data: dict[str, object] = {}
        for name, value in self.fields:
            if name in data:
                previous = data[name]
                data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                data[name] = value
        return data


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: dict | None = None
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "form":
            self._form = Form(
                action=attributes.get("action", ""),
                method=attributes.get("method", "get").lower(),
                enctype=attributes.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = attributes.get("name")
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            if name:
                form.names.add(name)
            if kind in ("submit", "image"):
                form.buttons.append((name or "", attributes.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if name and "checked" in attributes:
                    form.fields.append((name, attributes.get("value", "on")))
            elif kind == "file" or kind == "button" or kind == "reset":
                pass
            elif name:
                form.fields.append((name, attributes.get("value", "")))
        elif tag == "button":
            if attributes.get("type", "submit").lower() == "submit":
                form.buttons.append((name or "", attributes.get("value", "")))
        elif tag == "textarea" and name:
            form.names.add(name)
            self._textarea = (name, [])
        elif tag == "select" and name:
            form.names.add(name)
            self._select = {"name": name, "multiple": "multiple" in attributes, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attributes.get("value"),
                "selected": "selected" in attributes,
                "text": [],
            }
            self._select["options"].append(self._option)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            text = "".join(parts)
            self._form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            options = self._select["options"]
            chosen = [option for option in options if option["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]  # what a browser sends for an untouched select
            for option in chosen:
                value = option["value"] if option["value"] is not None else "".join(option["text"]).strip()
                self._form.fields.append((self._select["name"], value))
            self._select = None


def forms_on(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def find_form(page: str, *, action: str | None = None, button=None, having: str | None = None) -> Form:
    """The one form on ``page`` posting to ``action`` (``""`` for the page itself) and/or
    with the submit ``button`` ``(name, value)`` and/or a control named ``having``."""
    found = [
        form
        for form in forms_on(page)
        if form.method == "post"
        and (action is None or form.action == action)
        and (button is None or tuple(button) in form.buttons)
        and (having is None or having in form.names)
    ]
    if len(found) != 1:
        raise AssertionError(
            f"expected one form (action={action!r}, button={button!r}, having={having!r}), "
            f"found {len(found)}: {[(form.action, sorted(form.names)) for form in forms_on(page)]}"
        )
    return found[0]


def load_form(client: Client, page_url: str, **which) -> Form:
    """GET ``page_url`` and return the form ``find_form(**which)`` picks, as loaded now."""
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    form = find_form(html(page), **which)
    form.page_url = page_url
    return form


def post_form(
    client: Client,
    form: Form,
    *,
    data: dict | None = None,
    button=None,
    headers: dict | None = None,
    follow: bool = True,
):
    """Post a loaded form like a browser: its own values, changed by ``data`` (``None``
    removes a field, as an unticked box), with the submit ``button`` ``(name, value)``.
    Every key in ``data`` must be a control the form really has, so a test can never post
    a field the page does not offer."""
    values = form.data()
    for name, value in (data or {}).items():
        assert name in form.names, f"{name!r} is not a field of the form; it has {sorted(form.names)}"
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    if button is not None:
        assert tuple(button) in form.buttons, (button, form.buttons)
        if button[0]:
            values[button[0]] = button[1]
    target = form.action or form.page_url
    return client.post(target, values, follow=follow, headers=headers or {})


def submit(
    client: Client,
    page_url: str,
    *,
    action: str | None = None,
    button=None,
    having: str | None = None,
    data: dict | None = None,
    headers: dict | None = None,
    follow: bool = True,
):
    """GET ``page_url``, fill in the chosen form like a user would and post it."""
    form = load_form(client, page_url, action=action, button=button, having=having)
    return post_form(client, form, data=data, button=button, headers=headers, follow=follow)


# -- the pages ----------------------------------------------------------------------------


def my_page() -> str:
    return reverse("cycles:my_schedule")


def schedule_page(employee) -> str:
    return reverse("cycles:employee_schedule", args=[employee.pk])


def team_page() -> str:
    return reverse("cycles:team_schedule")


def detail_page(pk: int) -> str:
    return reverse("conversations:detail", args=[pk])


def agreement_page(pk: int, conversation_pk: int | None = None) -> str:
    url = reverse("agreements:detail", args=[pk])
    return f"{url}?gesprek={conversation_pk}" if conversation_pk else url


def work_plan_page(cycle_pk: int) -> str:
    return reverse("agreements:work_plan", args=[cycle_pk])


def plan_links(page: str) -> dict[str, str]:
    """``kind -> plan URL`` for every *Plan* button on a cycle page."""
    return {
        kind: unescape(url) for url, kind in re.findall(r'href="(/gesprekken/plannen/\d+/([\w-]+)/)"', page)
    }


def status_classes(page: str) -> list[str]:
    """The statuses of the due items, in the order of the table (``gc-status--<status>``)."""
    return re.findall(r"gc-status--(\w+)", page)


def conversation_pk(response) -> int:
    """The conversation a followed redirect ended on."""
    url = response.redirect_chain[-1][0] if response.redirect_chain else response.request["PATH_INFO"]
    match = re.search(r"/gesprekken/gesprek/(\d+)/", url)
    assert match, (url, messages_of(response))
    return int(match.group(1))


def plan_on_page(
    client: Client,
    cycle_page: str,
    kind: str,
    when: datetime.datetime,
    *,
    location: str = "Raadhuis, kamer 2.14",
    online_url: str = "",
    duration: int = 60,
    extra: dict | None = None,
) -> int:
    """Follow the cycle page's *Plan* button for ``kind`` and plan it; the new
    conversation's id."""
    links = plan_links(html(client.get(cycle_page)))
    assert kind in links, f"no Plan button for {kind} on {cycle_page}: {sorted(links)}"
    response = submit(
        client,
        links[kind],
        action="",
        data={
            "date": when.date().isoformat(),
            "time": when.strftime("%H:%M"),
            "duration_minutes": str(duration),
            "location": location,
            "online_url": online_url,
            **(extra or {}),
        },
    )
    assert response.status_code == 200
    return conversation_pk(response)


def detail_action(pk: int, name: str) -> str:
    return reverse(f"conversations:{name}", args=[pk])


def mark_held(client: Client, pk: int, day: datetime.date):
    return submit(
        client, detail_page(pk), action=detail_action(pk, "held"), data={"held_on": day.isoformat()}
    )


def prepare(client: Client, pk: int, *, share: bool = True, **values: str):
    return submit(
        client,
        detail_page(pk),
        action=detail_action(pk, "preparation"),
        button=("share", "1") if share else None,
        data=values,
    )


def report_version(client: Client, pk: int) -> int:
    form = find_form(html(client.get(detail_page(pk))), action=detail_action(pk, "report"))
    return int(form.data()["version"])


def write_report(client: Client, pk: int, *, finish: bool = False, **values: str):
    """Fill in the report form on the conversation page and save (or finish) it."""
    return submit(
        client,
        detail_page(pk),
        action=detail_action(pk, "report"),
        button=("finish", "1") if finish else None,
        data=values,
    )


def approve(client: Client, pk: int):
    return submit(client, detail_page(pk), action=detail_action(pk, "report_approve"))


def make_agreement(client: Client, pk: int, *, description: str, deadline: datetime.date, **values: str):
    return submit(
        client,
        detail_page(pk),
        action=reverse("agreements:create", args=[pk]),
        data={"description": description, "deadline": deadline.isoformat(), **values},
    )


def agreement_links(page: str) -> dict[str, int]:
    """``description -> id`` of the agreements listed on a page (in the page's order)."""
    return {
        unescape(description): int(pk)
        for pk, description in re.findall(r'<a href="/gesprekken/afspraken/(\d+)/[^"]*">([^<]*)</a>', page)
    }


# -- counting queries ---------------------------------------------------------------------


def queries_of(client: Client, url: str) -> list[str]:
    """The SQL a GET of ``url`` runs (after a warm-up request, so per-process caches are
    filled in both measurements)."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in context.captured_queries]


def assert_same_query_counts(before: dict[str, list[str]], after: dict[str, list[str]]) -> None:
    """Each page ran as many queries after growing as before; otherwise show the queries."""
    differing = {page for page in before if len(before[page]) != len(after[page])}
    if differing:
        lines = []
        for page in sorted(differing):
            lines.append(f"{page}: {len(before[page])} queries before, {len(after[page])} after")
            lines += [f"    {sql}" for sql in after[page]]
        raise AssertionError("\n".join(lines))


# -- a year's first steps for one team member (for the query-count tests) ------------------


def first_conversations(manager: Client, person, person_client: Client, day: datetime.date) -> dict[str, int]:
    """Through the pages, on ``day`` (Heemstede, January: the manager's initiative): the
    manager plans the planning conversation for 8:00 that day and records it as held; an
    agreement is made in it; the employee writes and finishes the report (now waiting for
    the manager); the employee plans the progress conversation for 22 June."""
    planning = plan_on_page(
        manager, schedule_page(person), "planning", datetime.datetime(day.year, day.month, day.day, 8)
    )
    mark_held(manager, planning, day)
    make_agreement(
        manager,
        planning,
        kind="work_result",
        description=f"Werkvoorraad van {person.personnel_number} op orde",
        deadline=day + datetime.timedelta(days=180),
    )
    write_report(person_client, planning, finish=True, item_expected_results="Acht weken.")
    progress = plan_on_page(person_client, my_page(), "progress", datetime.datetime(day.year, 6, 22, 10))
    return {"planning": planning, "progress": progress}
