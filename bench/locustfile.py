"""The load of ``bench/load.py``: signed-in users requesting one page (or a mix of pages).

Run by ``bench/load.py``, never by hand: it passes the scenario file in
``BENCH_SCENARIO`` (the phase, its actors with their session cookies or API tokens, the
URLs each may open), the warm-up in ``BENCH_WARMUP`` (seconds in which requests are
recorded under the name ``warm-up`` and left out of the figures) and in ``BENCH_SAMPLES``
the file to write every measured answer's time to.

Every simulated user takes the next actor of the phase (round robin), so requests come
from many different people, each seeing their own data, as in real use.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time

from locust import FastHttpUser, between, constant, events, task

SCENARIO = json.loads(open(os.environ["BENCH_SCENARIO"], encoding="utf-8").read())  # noqa: SIM115
WARMUP = float(os.environ.get("BENCH_WARMUP", "5"))
_actors = itertools.cycle(SCENARIO["actors"])
_started = {"at": None}


_samples: list[tuple[str, float, bool]] = []


@events.test_start.add_listener
def _test_start(environment, **kwargs):
    _started["at"] = time.monotonic()


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    """Every answer's time, so bench/load.py computes exact percentiles (locust's own
    tables round them) over the measured part only."""
    if name != "warm-up":
        _samples.append((name, response_time, exception is not None))


@events.quitting.add_listener
def _write_samples(environment, **kwargs):
    with open(os.environ["BENCH_SAMPLES"], "w", encoding="utf-8") as output:
        json.dump(_samples, output)


class SignedInUser(FastHttpUser):
    wait_time = between(SCENARIO["wait"][0], SCENARIO["wait"][1]) if SCENARIO["wait"] else constant(0)

    def on_start(self):
        self.actor = next(_actors)
        self.headers = {"Accept-Language": "nl"}
        if self.actor.get("token"):
            self.headers["Authorization"] = f"Bearer {self.actor['token']}"
        if self.actor.get("session"):
            self.headers["Cookie"] = f"sessionid={self.actor['session']}"
        self.chooser = random.Random(self.actor["email"])

    @task
    def request_page(self):
        name, url = self.chooser.choice(self.actor["urls"])
        began = _started["at"] or time.monotonic()
        if time.monotonic() - began < WARMUP:
            name = "warm-up"
        # No redirects followed: a session that was logged out shows as a failure (302).
        with self.client.get(
            url, headers=self.headers, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")
