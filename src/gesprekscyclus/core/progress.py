"""A small progress indicator for long commands (imports, roll-overs, benchmarks)."""

import sys
import time

from django.core.management.base import OutputWrapper


class ProgressPrinter:
    """Prints ``stage: done/total (pct%)`` at most every ``interval`` seconds, and the
    final state of each stage. Writes to stderr so that stdout stays machine-readable."""

    def __init__(self, stream=None, interval: float = 0.5, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.interval = interval
        self.enabled = enabled
        self._last = 0.0
        self._stage = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        finished = total and done >= total
        if stage == self._stage and not finished and now - self._last < self.interval:
            return
        self._stage, self._last = stage, now
        percent = f" ({100 * done // total}%)" if total else ""
        end = "\n" if finished else "\r"
        text = f"{stage}: {done}/{total}{percent}{end}"
        if isinstance(self.stream, OutputWrapper):  # a management command's self.stderr
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()
