"""The stage for the year scenarios (tests/browser/test_year_*.py): one regulation run for a
whole year, each person in a browser of their own, the server's clock moved between steps.

A scenario makes a ``Year`` and drives it::

    year = Year("kampen", browser, live_server, time_machine, people={"employee": cast.employee, ...})
    year.clock(datetime.date(2026, 3, 2), 9)          # moves the clock of the server (and the test)
    year.at(datetime.date(2026, 3, 9), 10, "manager")  # ... and logs in only who acts next
    page = year.visit("employee", "/overzicht/", "my overview")   # axe at 375 and 1280, problems kept
    year.shot("employee", "overview", "Mijn overzicht in maart")  # a screenshot for docs/tour.md
    year.proves("Kampen §4.1: the employee prepares the planning conversation", "step 2")
    year.sign_with_keyboard("employee", signing_url, password=PASSWORD)
    conversation = year.plan("employee", cycle, "planning", day, location="Kamer 2.14")
    year.invitations(conversation, "employee", "manager", download="employee")
    year.hold("manager", conversation, day)           # ... approve, sign, put_at_risk, remind
    year.finish()                                      # writes the tour manifest, asserts no problems

Everyone works on a phone: the whole year is clicked, typed and signed in browsers 375 pixels
wide. ``check`` runs axe-core (WCAG 2.1 A and AA) at that width, where nothing may stick out
sideways (WCAG 1.4.10 Reflow: a data table may scroll inside its own container) and every
visible form field must be named by its own label, and again at 1280 pixels. Every page a
browser loads is noted by its URL name, and ``finish`` fails when one was never checked. Faults
are collected, not raised at once, so that one fault does not hide the rest of the year;
``finish`` asserts there are none.

Screenshots go to ``var/screenshots/<preset>/`` with a ``tour.json`` manifest beside them;
``scripts/tour.py`` (``make tour``) turns the manifests into ``docs/tour.md`` and its images.

The steps every regulation shares - planning with the calendar invitation, recording as held,
approving the report, signing with the password and the mouse, putting an agreement at risk,
the reminder run - are methods here (``plan``, ``invitations``, ``hold``, ``approve``, ``sign``,
``put_at_risk``, ``remind``); each asserts what holds under every regulation and returns the
page or object, so that the scenario asserts what its regulation adds.

The functions at the end (``conversation_url``, ``form``, ``submit``, ``success``, ``mails_to``,
``signatures_of``, ...) are what every scenario looks for on a page or in the outbox, found by
URL, form action and class rather than Dutch text."""

from __future__ import annotations

import datetime
import json
import re
import zoneinfo
from dataclasses import dataclass, field
from email import message_from_bytes
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Page, expect

from gesprekscyclus.agreements.models import AgreementStatus
from gesprekscyclus.conversations.models import Conversation, Status
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.signatures.models import ReportVersion, Signature, VersionState

from .conftest import AccessibilityViolations, assert_accessible

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 375, "height": 812}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

# Elements wider than the 375-pixel viewport that are not inside a container that scrolls on
# its own (overflow-x auto or scroll): they make the whole page scroll sideways, or, inside a
# container that hides its overflow, are cut off where nobody can scroll to them.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrollsOnItsOwn = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > width + 1 && !scrollsOnItsOwn(el);
  });
  const outermost = wide.filter(el => !wide.some(other => other !== el && other.contains(el)));
  return {
    overflow: document.documentElement.scrollWidth - width,
    elements: outermost.slice(0, 5).map(
      el => describe(el) + ' (' + Math.round(el.getBoundingClientRect().right) + 'px)'),
  };
}"""

# Whether the focused element shows that it has focus (WCAG 2.4.7).
FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
}"""


@dataclass
class Shot:
    file: str
    caption: str
    person: str
    url: str


@dataclass
class Rule:
    rule: str
    how: str


@dataclass
class Year:
    preset: str
    browser: object
    live_server: object
    time_machine: object
    people: dict  # name -> Employee or User (the name is the role in the story: "employee", "manager", ...)
    title: str = ""
    pages: dict[str, Page] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    shots: list[Shot] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    visited: int = 0
    loaded: dict[str, str] = field(default_factory=dict)  # page (URL name) -> first address loaded
    checked: set[str] = field(default_factory=set)  # pages (URL names) checked by axe

    def __post_init__(self):
        self.directory = SCREENSHOTS / self.preset
        self.directory.mkdir(parents=True, exist_ok=True)
        for old in self.directory.glob("*.png"):
            old.unlink()

    # -- people and their browsers ------------------------------------------------------------

    def user(self, who: str):
        person = self.people[who]
        return getattr(person, "user", person)

    def page(self, who: str) -> Page:
        """The browser of ``who``: opened on first use, Dutch, on a phone (375 pixels wide). The
        whole year is clicked, typed and signed at that width; ``check`` also looks at every page
        at 1280 pixels."""
        if who not in self.pages:
            context = self.browser.new_context(
                locale="nl-NL", base_url=self.live_server.url, viewport=NARROW, has_touch=True
            )
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.on("load", self._loaded)
            self.pages[who] = page
        return self.pages[who]

    def _loaded(self, page: Page) -> None:
        """Note each page (by URL name) a person's browser loads; ``finish`` asserts each was
        checked by axe at least once."""
        self.loaded.setdefault(page_name(page.url), page.url.removeprefix(self.live_server.url))

    def log_in(self, *people: str) -> None:
        """A fresh session for each (a session lasts eight hours of the server's clock)."""
        for who in people or tuple(self.people):
            page = self.page(who)
            page.context.clear_cookies()
            page.goto("/account/inloggen/")
            self.check(page, "login page")
            page.locator("input[name=username]").fill(self.user(who).email)
            page.locator("input[name=password]").fill(PASSWORD)
            page.locator('main form[action="/account/inloggen/"] button[type=submit]').click()
            try:
                page.wait_for_url("**/overzicht/")
            except Exception as error:
                raise AssertionError(f"{who} cannot log in: {page.locator('main').inner_text()}") from error
            if page_name(page.url) not in self.checked:
                self.check(page, f"my overview ({who}), after logging in")

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()
        self.pages.clear()

    # -- time -----------------------------------------------------------------------------------

    def clock(self, day: datetime.date, hour: int = 9, minute: int = 0, *, log_in: bool = True) -> None:
        """Move the clock of the whole process (the live server too) and, since a session lasts
        eight hours, log everyone in again."""
        self.time_machine.move_to(
            datetime.datetime.combine(day, datetime.time(hour, minute), AMSTERDAM), tick=True
        )
        if log_in:
            self.log_in(*self.pages)

    def at(self, day: datetime.date, hour: int, *who: str, minute: int = 0) -> None:
        """Move the clock and log in only the people who act next (a login costs seconds; logging
        everyone in at every step would double a scenario's run time)."""
        self.clock(day, hour, minute, log_in=False)
        self.log_in(*who)

    def command(self, name: str, *args: str) -> str:
        """Run a management command (as the daily schedule would) and return what it printed."""
        stdout = StringIO()
        call_command(name, *args, stdout=stdout, stderr=StringIO())
        return stdout.getvalue()

    # -- pages ----------------------------------------------------------------------------------

    def visit(self, who: str, url: str, what: str) -> Page:
        page = self.page(who)
        response = page.goto(url)
        if response is not None and response.status >= 400:
            self.problem(f"{what} ({who}, {url}): HTTP {response.status}")
        self.check(page, f"{what} ({who})")
        return page

    def check(self, page: Page, what: str) -> None:
        """axe and the reflow check at 375 pixels, where the person works, then axe at 1280."""
        self.visited += 1
        self.checked.add(page_name(page.url))
        reflow = page.evaluate(OVERFLOWING)
        if reflow["overflow"] > 1 or reflow["elements"]:
            self.problem(
                f"{what} at 375 pixels ({page.url}): the page scrolls sideways by "
                f"{reflow['overflow']}px; too wide: {', '.join(reflow['elements'])}"
            )
        self._axe(page, f"{what}, 375 pixels")
        self._labels(page, what)
        page.set_viewport_size(WIDE)
        try:
            self._axe(page, f"{what}, 1280 pixels")
        finally:
            page.set_viewport_size(NARROW)

    def _labels(self, page: Page, what: str) -> None:
        for text in label_problems(page):
            self.problem(f"{what} ({page.url}): {text}")

    def _axe(self, page: Page, what: str) -> None:
        try:
            assert_accessible(page)
        except AccessibilityViolations as violations:
            self.problem(f"axe ({what}): {violations}")

    def problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    def expect_ok(self, condition: bool, text: str) -> None:
        """A fault that should not stop the year: kept for ``finish``."""
        if not condition:
            self.problem(text)

    # -- the keyboard ---------------------------------------------------------------------------

    def tab_to(self, who: str, selector: str, *, limit: int = 120) -> None:
        """Press Tab from where the focus is until the element ``selector`` has it; every element
        passed on the way must show its focus."""
        page = self.page(who)
        target = page.locator(selector).first
        for _ in range(limit):
            page.keyboard.press("Tab")
            if target.evaluate("el => el === document.activeElement"):
                if page.evaluate(FOCUS_VISIBLE) is False:
                    self.problem(f"keyboard ({who}, {page.url}): {selector} has focus but does not show it")
                return
            if page.evaluate(FOCUS_VISIBLE) is False:
                focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
                self.problem(f"keyboard ({who}, {page.url}): the focus on {focused} is not visible")
        raise AssertionError(f"{selector} on {page.url} cannot be reached with Tab in {limit} presses")

    def sign_with_keyboard(self, who: str, signing_url: str, *, password: str = PASSWORD) -> None:
        """Sign with the keyboard alone: from the top of the signing page, Tab to the password,
        type it, Tab to the sign button, press Enter; the page then says it is signed."""
        page = self.page(who)
        page.goto(signing_url)
        self.check(page, f"signing page ({who}), before signing with the keyboard")
        page.locator("body").evaluate(
            "body => { body.tabIndex = -1; body.focus(); body.removeAttribute('tabindex'); }"
        )
        form = f'main form[action="{signing_url}tekenen/"]'
        self.tab_to(who, f"{form} input[name=password]")
        page.keyboard.type(password)
        self.tab_to(who, f"{form} button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if page.locator(".gc-alert--success").count() == 0:
            self.problem(f"signing with the keyboard ({who}, {signing_url}): no confirmation shown")
        self.check(page, f"signing page ({who}), signed with the keyboard")

    # -- the steps every regulation shares ------------------------------------------------------

    def plan(
        self,
        who: str,
        cycle,
        kind: str,
        day: datetime.date,
        hour: int = 10,
        *,
        minutes: int = 60,
        location: str,
        conductor=None,
        asks_conductor: bool | None = None,
        query: str = "",
    ) -> Conversation:
        """From the page ``who`` is on (the cycle page), follow the Plan link of ``kind`` and plan
        it on ``day`` at ``hour``; the mail outbox is emptied first, so that only this planning's
        invitations are in it. ``conductor`` is chosen in the form when given; ``asks_conductor``
        asserts whether the form asks who conducts. ``query`` is added to the Plan link (``?na=``
        for a follow-up)."""
        page = self.page(who)
        url = f"/gesprekken/plannen/{cycle.pk}/{kind}/{query}"
        link = page.locator(f'main a[href="{url}"]').first
        expect(link).to_be_visible()
        link.click()
        page.wait_for_url(re.compile(re.escape(url) + "$"))
        self.check(page, f"plan the {kind} conversation ({who})")
        plan_form = page.locator("main form[method=post]")
        if asks_conductor is not None:
            expect(plan_form.locator("[name=conductor]")).to_have_count(1 if asks_conductor else 0)
        plan_form.locator("input[name=date]").fill(day.isoformat())
        plan_form.locator("input[name=time]").fill(f"{hour:02d}:00")
        plan_form.locator("input[name=duration_minutes]").fill(str(minutes))
        plan_form.locator("input[name=location]").fill(location)
        if conductor is not None:
            plan_form.locator("select[name=conductor]").select_option(str(conductor.pk))
        mail.outbox.clear()
        submit(page, plan_form.locator("button[type=submit]"))
        expect(page).to_have_url(re.compile(r"/gesprekken/gesprek/\d+/$"))
        expect(success(page)).to_be_visible()
        self.check(page, f"{kind} conversation planned ({who})")
        pk = int(re.search(r"/gesprekken/gesprek/(\d+)/$", page.url).group(1))
        conversation = Conversation.objects.get(pk=pk)
        assert (conversation.cycle_id, conversation.kind) == (cycle.pk, kind), conversation
        assert conversation.status == Status.PLANNED, conversation.status
        starts_at = datetime.datetime.combine(day, datetime.time(hour), AMSTERDAM)
        assert conversation.starts_at == starts_at, conversation.starts_at
        return conversation

    def invitations(
        self, conversation: Conversation, *people: str, download: str | None = None
    ) -> list[icalendar.Calendar]:
        """Each of ``people`` was mailed one invitation (``uitnodiging.ics``) whose DTSTART is the
        conversation's start; with ``download``, that person's conversation page offers the same
        ``agenda.ics``. Returns the mailed calendars, one per person."""
        calendars = []
        for who in people:
            address = self.user(who).email
            invited = [message for message in mails_to(address) if has_invitation(message)]
            assert len(invited) == 1, (who, [message.subject for message in mails_to(address)])
            calendar = invitation_of(invited[0])
            assert event_start(calendar) == conversation.starts_at, (who, event_start(calendar))
            calendars.append(calendar)
        if download is not None:
            url = conversation_url(conversation)
            page = self.page(download)
            if urlsplit(page.url).path != url:
                self.visit(download, url, f"{conversation.kind} conversation ({download}), planned")
            ics = page.locator(f'main a[href="{url}agenda.ics"]')
            expect(ics).to_be_visible()
            response = page.request.get(ics.get_attribute("href"))
            assert response.ok and response.headers["content-type"].startswith("text/calendar")
            assert event_start(icalendar.Calendar.from_ical(response.body())) == conversation.starts_at
        return calendars

    def hold(self, who: str, conversation: Conversation, day: datetime.date) -> Page:
        """Record on the conversation page that it was held on ``day``; returns the page it leads
        to (the report form, or the assessment page)."""
        url = conversation_url(conversation)
        page = self.visit(who, url, f"{conversation.kind} conversation ({who}), to record as held")
        held_form = form(page, f"{url}gehouden/")
        held_form.locator("input[name=held_on]").fill(day.isoformat())
        submit(page, held_form.locator("button[type=submit]"))
        conversation.refresh_from_db()
        assert conversation.status == Status.HELD and conversation.held_on == day, conversation.status
        self.check(page, f"{conversation.kind} conversation held ({who})")
        return page

    def show_assessment(
        self,
        who: str,
        conversation: Conversation,
        ratings: dict[str, str],
        overall: str,
        motivation: str,
        *,
        other_aspects: str | None = None,
    ) -> Page:
        """On the assessment page ``who`` has open, rate each aspect (``other_aspects`` for any
        the scenario does not name), give the overall rating and the motivation, and show it to
        the employee: the page confirms, and the rating form is gone."""
        page = self.page(who)
        action = f"{assessment_url(conversation)}opslaan/"
        rating_form = form(page, action)
        for aspect, value in ratings.items():
            rating_form.locator(f"select[name=aspect_{aspect}]").select_option(value)
        if other_aspects is not None:
            for extra in rating_form.locator("select[name^=aspect_]").all():
                if not extra.input_value():
                    extra.select_option(other_aspects)
        rating_form.locator("select[name=overall]").select_option(overall)
        rating_form.locator("textarea[name=motivation]").fill(motivation)
        submit(page, rating_form.locator("button[name=show]"))
        expect(success(page)).to_be_visible()
        expect(error(page)).to_have_count(0)
        expect(form(page, action)).to_have_count(0)
        self.check(page, f"assessment page ({who}), shown to the employee")
        return page

    def approve(
        self, who: str, conversation: Conversation, *, shows=(), then: str = Status.READY_FOR_SIGNING
    ) -> Page:
        """Read the report (it shows each text of ``shows``) and approve it; the conversation is
        then ``then`` (ready for signing, or completed when nobody signs)."""
        url = conversation_url(conversation)
        page = self.visit(who, url, f"{conversation.kind} conversation ({who}), the report to read")
        for text in [shows] if isinstance(shows, str) else shows:
            expect(page.locator("#report-section")).to_contain_text(text)
        submit(page, form(page, f"{url}verslag/akkoord/").locator("button[type=submit]"))
        expect(success(page)).to_be_visible()
        expect(error(page)).to_have_count(0)
        conversation.refresh_from_db()
        assert conversation.status == then, conversation.status
        self.check(page, f"{conversation.kind} conversation ({who}), report approved")
        return page

    def sign(self, who: str, conversation: Conversation, *, from_conversation: bool = False) -> Page:
        """Sign with the mouse and the password (``sign_with_keyboard`` signs with the keyboard
        alone): on the signing page, or reached by its link on the conversation page. The form
        carries the hash of the open version."""
        signing = signing_url(conversation)
        if from_conversation:
            page = self.visit(
                who, conversation_url(conversation), f"{conversation.kind} conversation ({who}), to sign"
            )
            page.locator(f'main a[href="{signing}"]').first.click()
            page.wait_for_url(f"**{signing}")
            self.check(page, f"signing page, {conversation.kind} ({who})")
        else:
            page = self.visit(who, signing, f"signing page, {conversation.kind} ({who})")
        sign_form = form(page, f"{signing}tekenen/")
        version = ReportVersion.objects.filter(conversation=conversation, state=VersionState.OPEN).first()
        if version is not None:
            expect(sign_form.locator("input[type=hidden][name=expected_hash]")).to_have_value(
                version.content_hash
            )
        sign_form.locator("input[name=password]").fill(PASSWORD)
        submit(page, sign_form.locator("button[type=submit]"))
        expect(success(page)).to_be_visible()
        expect(error(page)).to_have_count(0)
        expect(form(page, f"{signing}tekenen/")).to_have_count(0)
        self.check(page, f"signing page, {conversation.kind}, signed ({who})")
        return page

    def put_at_risk(self, who: str, agreement, explanation: str) -> Page:
        """From their cycle page ``who`` opens the agreement and marks it at risk with
        ``explanation``; the manager is mailed (the outbox is emptied first)."""
        url = f"/gesprekken/afspraken/{agreement.pk}/"
        page = self.visit(who, "/gesprekken/", f"my cycle ({who}), an open agreement")
        page.locator(f'main a[href^="{url}"]').first.click()
        page.wait_for_url(re.compile(re.escape(url)))
        self.check(page, f"agreement ({who})")
        status_form = page.locator("main section[aria-labelledby=status] form")
        status_form.locator("select[name=status]").select_option(AgreementStatus.AT_RISK.value)
        status_form.locator("[name=explanation]").fill(explanation)
        mail.outbox.clear()
        submit(page, status_form.locator("button[type=submit]"))
        expect(success(page)).to_be_visible()
        expect(error(page)).to_have_count(0)
        self.check(page, f"agreement ({who}), at risk")
        agreement.refresh_from_db()
        assert agreement.status == AgreementStatus.AT_RISK, agreement.status
        manager = self.user("manager").email
        assert mails_to(manager), f"the manager was not mailed: {[m.to for m in mail.outbox]}"
        return page

    def remind(
        self, who: str, today: datetime.date, reason: str, *, not_to=(), hour: int | None = None
    ) -> tuple[Notification, Page]:
        """The daily reminder run on ``today`` (the outbox emptied first): ``who`` gets a reminder
        whose reason key starts with ``reason``, by mail and on /meldingen/ with its subject and
        link; none of ``not_to`` gets one. With ``hour``, the clock moves to that hour of
        ``today`` and ``who`` logs in before looking."""
        mail.outbox.clear()
        self.command("send_reminders", "--today", today.isoformat(), "--no-progress")
        reminder = (
            Notification.objects.filter(user=self.user(who), reason_key__startswith=reason)
            .order_by("-created_at", "-id")
            .first()
        )
        assert reminder is not None, (
            who,
            reason,
            list(Notification.objects.values_list("user__email", "reason_key")),
        )
        for other in not_to:
            assert not Notification.objects.filter(
                user=self.user(other), reason_key__startswith=reason
            ).exists()
        assert mails_to(self.user(who).email), f"the reminder was not mailed to {who}"
        if hour is not None:
            self.at(today, hour, who)
        page = self.visit(who, "/meldingen/", f"notifications ({who}), {reason}")
        expect(page.locator("main")).to_contain_text(reminder.subject)
        expect(page.locator(f'main a[href="{reminder.url}"]').first).to_be_visible()
        return reminder, page

    # -- the tour -------------------------------------------------------------------------------

    def shot(self, who: str, slug: str, caption: str) -> None:
        """A screenshot of what ``who`` sees now, for docs/tour.md."""
        assert re.fullmatch(r"[a-z0-9-]+", slug), slug
        page = self.page(who)
        name = f"{len(self.shots) + 1:02d}-{slug}.png"
        page.set_viewport_size(WIDE)  # the tour shows the desktop
        try:
            page.screenshot(path=str(self.directory / name), full_page=True)
        finally:
            page.set_viewport_size(NARROW)
        self.shots.append(
            Shot(file=name, caption=caption, person=who, url=page.url.removeprefix(self.live_server.url))
        )

    def proves(self, rule: str, how: str) -> None:
        """Cite a rule of the seed that this step shows working."""
        self.rules.append(Rule(rule=rule, how=how))

    def finish(self) -> None:
        unchecked = sorted(set(self.loaded) - self.checked)
        if unchecked:
            self.problem(
                "pages visited but never checked by axe: "
                + ", ".join(f"{name} ({self.loaded[name]})" for name in unchecked)
            )
        manifest = {
            "preset": self.preset,
            "title": self.title,
            "pages_checked": self.visited,
            "shots": [shot.__dict__ for shot in self.shots],
            "rules": [rule.__dict__ for rule in self.rules],
        }
        (self.directory / "tour.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        assert not self.problems, f"{len(self.problems)} problem(s):\n\n" + "\n\n".join(self.problems)


# -- checks every page gets ---------------------------------------------------------------------

TEXT_FIELDS = (
    "main form textarea, main form select, "
    "main form input:not([type=hidden]):not([type=radio]):not([type=checkbox])"
)


def label_problems(page: Page, fields: str = TEXT_FIELDS) -> list[str]:
    """Every visible field (``fields``) in a form is named by its own label (WCAG 1.3.1, 2.5.3,
    4.1.2), and no id occurs twice on the page: what is wrong, one text each."""
    problems = []
    duplicates = page.evaluate(
        """() => [...document.querySelectorAll('[id]')].map(e => e.id)
                 .filter((id, i, all) => all.indexOf(id) !== i)"""
    )
    if duplicates:
        problems.append(f"duplicate ids {sorted(set(duplicates))}")
    for control in page.locator(fields).all():
        if not control.is_visible():
            continue
        label = control.locator("xpath=ancestor::div[contains(@class, 'gc-form-field')][1]/label")
        if label.count() != 1:
            problems.append(f"field {control.get_attribute('name')!r} has no label of its own")
            continue
        text = " ".join(label.inner_text().split())
        try:
            expect(control).to_have_accessible_name(text, timeout=1_000)
        except AssertionError:
            problems.append(
                f"field {control.get_attribute('name')!r} is not named by its label {text!r}: "
                f"{control.aria_snapshot()}"
            )
    return problems


# -- what the scenarios look for on a page --------------------------------------------------------


def page_name(url: str) -> str:
    """The page an address shows: its URL name ('conversations:detail'), or the path if it has none."""
    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name


def conversation_url(conversation) -> str:
    return f"/gesprekken/gesprek/{conversation.pk}/"


def signing_url(conversation) -> str:
    return f"/gesprekken/gesprek/{conversation.pk}/ondertekenen/"


def assessment_url(conversation) -> str:
    return f"/gesprekken/gesprek/{conversation.pk}/beoordeling/"


def form(page: Page, action: str):
    return page.locator(f'main form[action="{action}"]')


def success(page: Page):
    return page.locator(".gc-alert--success")


def error(page: Page):
    return page.locator(".gc-alert--error")


def status_badge(page: Page):
    """The conversation's status on its page."""
    return page.locator("#plan .gc-badge")


def submit(page: Page, button) -> None:
    """Click a submit button and wait for the page the POST redirects to (often the same URL)."""
    with page.expect_navigation():
        button.click()


def mails_to(person, since: int = 0) -> list:
    """The mails in the outbox (from position ``since``) to ``person``: an address, a user or an employee."""
    address = person if isinstance(person, str) else person.email
    return [message for message in mail.outbox[since:] if address in message.to]


def has_invitation(message) -> bool:
    try:
        invitation_of(message)
    except AssertionError:
        return False
    return True


def invitation_of(message) -> icalendar.Calendar:
    """The ``uitnodiging.ics`` attached to a mail (with a calendar content type)."""
    for attachment in message.attachments:
        if isinstance(attachment, tuple):
            name, content, mimetype = attachment
            if name == "uitnodiging.ics":
                assert mimetype.startswith("text/calendar"), mimetype
                return icalendar.Calendar.from_ical(content)
        elif attachment.get_filename() == "uitnodiging.ics":
            return icalendar.Calendar.from_ical(attachment.get_payload(decode=True))
    for part in message_from_bytes(message.message().as_bytes()).walk():
        if part.get_filename() == "uitnodiging.ics":
            return icalendar.Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError(f"no uitnodiging.ics in the mail {message.subject!r}")


def event_start(calendar: icalendar.Calendar) -> datetime.datetime:
    """DTSTART of the calendar's (only) event."""
    (event,) = calendar.walk("VEVENT")
    return event.decoded("DTSTART")


def invitation_start(message) -> datetime.datetime:
    """DTSTART of the invitation attached to a mail."""
    return event_start(invitation_of(message))


def signatures_of(conversation) -> list[tuple[str, str]]:
    """The (role, statement) of each signature on the conversation's reports, in signing order."""
    return list(
        Signature.objects.filter(version__conversation=conversation)
        .order_by("signed_at", "id")
        .values_list("role", "statement")
    )
