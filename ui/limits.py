"""Fair shares of a server that anyone can reach: how often one client may start an expensive
run, and separate lanes so that an official's evaluation never waits behind anonymous ones.
Kept in memory per process (like the API sessions)."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from contextlib import contextmanager
from typing import Iterator


class TooBusy(Exception):
    """A request refused for now (a limit was reached); its message says when to try again."""


class RateLimit:
    """At most `count` starts per client within `window` seconds (a sliding window). Only the
    `max_clients` most recently seen clients are remembered, so a flood of addresses costs
    bounded memory."""

    def __init__(self, count: int, window: float, max_clients: int = 10_000) -> None:
        self.count, self.window, self.max_clients = count, window, max_clients
        self._starts: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str, what: str) -> None:
        """Count one start for `client`, or raise TooBusy naming the wait."""
        now = time.monotonic()
        with self._lock:
            starts = self._starts.setdefault(client, deque())
            self._starts.move_to_end(client)
            while starts and now - starts[0] > self.window:
                starts.popleft()
            if len(starts) >= self.count:
                wait = int(self.window - (now - starts[0])) + 1
                raise TooBusy(f"{what}过于频繁：每 {int(self.window // 60)} 分钟最多 {self.count} 次，"
                              f"请约 {max(1, wait // 60)} 分钟后再试")
            starts.append(now)
            while len(self._starts) > self.max_clients:
                self._starts.popitem(last=False)


class Lane:
    """At most `width` runs at once in this lane. An anonymous lane refuses at once when full
    (no queue of strangers ahead of anyone); an official lane waits its turn."""

    def __init__(self, width: int, wait: bool, busy_message: str) -> None:
        self._slots = threading.BoundedSemaphore(width)
        self.wait, self.busy_message = wait, busy_message

    @contextmanager
    def run(self) -> Iterator[None]:
        if not self._slots.acquire(blocking=self.wait):
            raise TooBusy(self.busy_message)
        try:
            yield
        finally:
            self._slots.release()


class EvalLanes:
    """The evaluation's lanes: officials (administrators) in one, everyone else in another, with
    a per-client rate limit on the anonymous one."""

    def __init__(self, anonymous_per_hour: int = 6) -> None:
        self.official = Lane(1, wait=True, busy_message="")
        self.anonymous = Lane(1, wait=False, busy_message="评测繁忙：同一时间只运行一个匿名评测，请稍后再试")
        self.anonymous_rate = RateLimit(anonymous_per_hour, 3600.0)

    @contextmanager
    def run(self, official: bool, client: str) -> Iterator[None]:
        if official:
            with self.official.run():
                yield
            return
        self.anonymous_rate.take(client, "匿名评测")
        with self.anonymous.run():
            yield
