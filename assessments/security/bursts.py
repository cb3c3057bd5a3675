"""Bursts of refusals: many refused requests, wrong codes or failed sign-ins
by one user or from one address within a few minutes (enumeration, password
guessing). Computed from the security trace and django-axes' failure log."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain

from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone

from assessments.security.models import SecurityEvent


@dataclass(frozen=True)
class Burst:
    by: str  # "user" or "address"
    who: str
    count: int
    first: dt.datetime
    last: dt.datetime


def find_bursts(now: dt.datetime | None = None) -> list[Burst]:
    """Each run of at least REFUSAL_BURST_COUNT refusals by one user (or from
    one address) with every REFUSAL_BURST_COUNT consecutive ones within
    REFUSAL_BURST_MINUTES, latest first. Two queries, whatever the volume."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.REFUSAL_BURST_DAYS)
    refusals = SecurityEvent.objects.filter(
        kind__in=SecurityEvent.REFUSALS, at__gte=since
    ).values_list("at", "username", "ip")
    failures = AccessFailureLog.objects.filter(attempt_time__gte=since).values_list(
        "attempt_time", "username", "ip_address"
    )
    times: dict[tuple[str, str], list[dt.datetime]] = defaultdict(list)
    for at, username, ip in chain(refusals, failures):
        if username:
            times[("user", username)].append(at)
        if ip:
            times[("address", ip)].append(at)
    bursts = [
        Burst(by, who, len(run), run[0], run[-1])
        for (by, who), moments in times.items()
        for run in _runs(sorted(moments))
    ]
    return sorted(bursts, key=lambda b: b.last, reverse=True)


def _runs(moments: list[dt.datetime]) -> list[list[dt.datetime]]:
    """The maximal runs in which every window of `count` events spans at most
    `minutes` (sorted input)."""
    count = settings.REFUSAL_BURST_COUNT
    window = dt.timedelta(minutes=settings.REFUSAL_BURST_MINUTES)
    in_burst = [False] * len(moments)
    for end in range(count - 1, len(moments)):
        start = end - count + 1
        if moments[end] - moments[start] <= window:
            for i in range(start, end + 1):
                in_burst[i] = True
    runs: list[list[dt.datetime]] = []
    previous = False
    for moment, flagged in zip(moments, in_burst, strict=True):
        if flagged and previous and moment - runs[-1][-1] <= window:
            runs[-1].append(moment)
        elif flagged:
            runs.append([moment])
        previous = flagged
    return runs
