"""How long a signed-in session has left: the idle limit and the absolute lifetime.

A session ends SESSION_COOKIE_AGE seconds after its last renewal (idle limit,
renewed by ``SessionIdleRefreshMiddleware``) and in any case
SESSION_ABSOLUTE_SECONDS after sign-in, however busy it is kept. The timeout
warning (static/js/session-timeout.js) reads the same figures.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings

RENEWED_KEY = "_renewed_at"
SIGNED_IN_KEY = "_signed_in_at"


def renewal_interval() -> int:
    """Renew at most once a minute (or a fifteenth of a short idle limit)."""
    return max(1, min(60, settings.SESSION_COOKIE_AGE // 15))


def now() -> int:
    return int(time.time())


def past_absolute_lifetime(session, at: int | None = None) -> bool:
    started = session.get(SIGNED_IN_KEY)
    at = now() if at is None else at
    return started is not None and at - started >= settings.SESSION_ABSOLUTE_SECONDS


@dataclass(frozen=True)
class TimeLeft:
    seconds: int
    # "idle": more activity extends it; "absolute": nothing does.
    reason: str

    def as_json(self) -> dict:
        return {"seconds_left": self.seconds, "ends_because": self.reason}


def time_left(session, *, renewing: bool) -> TimeLeft:
    """Seconds until the session ends. ``renewing``: the current request
    counts as activity (the middleware renews the session after it)."""
    at = now()
    renewed = session.get(RENEWED_KEY, 0)
    if renewing and at - renewed >= renewal_interval():
        renewed = at
    idle_left = max(0, renewed + settings.SESSION_COOKIE_AGE - at)
    started = session.get(SIGNED_IN_KEY, at)
    absolute_left = max(0, started + settings.SESSION_ABSOLUTE_SECONDS - at)
    if absolute_left <= idle_left:
        return TimeLeft(absolute_left, "absolute")
    return TimeLeft(idle_left, "idle")
