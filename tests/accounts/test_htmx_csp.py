"""htmx must not need anything the strict CSP (``style-src 'self'``) blocks: its inline
indicator <style> is switched off and the rules live in the app's own stylesheet."""

import json
import re
from html.parser import HTMLParser

from django.contrib.staticfiles import finders
from django.urls import reverse


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name"):
            self.meta[attrs["name"]] = attrs.get("content", "")
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])


def _static(url: str) -> str:
    path = finders.find(url.split("/static/", 1)[1])
    assert path, url
    with open(path, encoding="utf-8") as file:
        return file.read()


def test_htmx_is_told_not_to_inject_the_inline_indicator_style_the_csp_would_block(client):
    response = client.get(reverse("accounts:login"))
    style_src = re.search(r"style-src ([^;]*)", response["Content-Security-Policy"]).group(1).split()
    assert style_src == ["'self'"]  # an inline <style> would be refused
    head = _Head()
    head.feed(response.content.decode())
    config = json.loads(head.meta["htmx-config"])
    assert config["includeIndicatorStyles"] is False
    # The settings that were there already stay.
    assert config["historyCacheSize"] == 0
    assert config["refreshOnHistoryMiss"] is True
    # The vendored htmx reads this very key before writing its <style>.
    htmx = next(src for src in head.scripts if "vendor/htmx" in src)
    assert "includeIndicatorStyles!==false" in _static(htmx)


def test_the_indicator_rules_htmx_would_have_injected_are_in_the_apps_own_stylesheet(client):
    head = _Head()
    head.feed(client.get(reverse("accounts:login")).content.decode())
    css = "\n".join(_static(href) for href in head.stylesheets)
    assert re.search(r"\.htmx-indicator\s*\{[^}]*opacity:\s*0", css)
    assert re.search(r"\.htmx-request \.htmx-indicator[^{]*\{[^}]*opacity:\s*1", css)
