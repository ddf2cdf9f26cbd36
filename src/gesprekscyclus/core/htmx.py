"""Pages that answer htmx with a fragment and browsers with the whole page."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_fragment(request) -> bool:
    """An htmx request that swaps part of the page. When htmx restores a pushed URL that is
    missing from its history cache (going back), it sends ``HX-History-Restore-Request``
    and puts the answer in place of the whole page, so that one gets the whole page."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def render_page_or_fragment(request, page: str, fragment: str, context: dict):
    """``fragment`` for an htmx swap, else ``page``; caches keep the two apart (``Vary``).
    A fragment is rendered with ``is_fragment`` set, so that it can bring along what lies
    outside the swapped region and depends on the request: the ``<title>`` (htmx sets the
    document title from a top-level ``<title>``) and the heading (``hx-swap-oob``)."""
    is_fragment = wants_fragment(request)
    response = render(request, fragment if is_fragment else page, {**context, "is_fragment": is_fragment})
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response
