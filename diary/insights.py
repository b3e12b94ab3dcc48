"""What is working: one user's applications and diary turned into outcomes, rates and a reply-time curve.

Everything is read in a fixed number of queries (one per table) and computed in Python: a user has at most
a few thousand applications, and the statistics (stats.py) need every row anyway.

The outcome of a sent application, from what the user recorded:
- replied: a reply was added, the status moved on to interviewing, offer or rejected, or a diary entry says
  a reply or an interview came. The first of these dates is the time of the first reply;
- interview: the status reached interviewing or offer, a reply was an interview invitation or an offer, or a
  diary entry records an interview; offer and rejection likewise;
- no answer: nothing heard NO_ANSWER_FACTOR times FOLLOW_UP_AFTER_DAYS days after sending (the follow-up
  was due, and as long again has passed), or the user marked it "no answer";
- otherwise it is still waiting, and is left out of every rate: waiting is not failing. The reply-time curve
  counts it for as long as it has waited (censored).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application, FitScore, Reply, SentVersion, Status, StatusChange
from coach.scoring import Band
from diary.models import Approach, ApproachUse, DiaryEntry, EntryApproach, Kind
from diary.stats import MIN_PER_SIDE, Rate, Step, Verdict, compare, kaplan_meier, median_days, wilson

NO_ANSWER_FACTOR = 2
# A letter up to this many words counts as short; recruiters' advice usually puts the line near here.
SHORT_LETTER_WORDS = 250
# Sent within this many days of adding the posting counts as quick.
QUICK_DAYS = 2
# Sent within this many days of the day the employer posted it (when the page said) counts as early.
EARLY_DAYS = 7

__all__ = ["MIN_PER_SIDE", "Insights", "compute", "no_answer_days", "suggestion"]


def no_answer_days() -> int:
    return int(NO_ANSWER_FACTOR * settings.FOLLOW_UP_AFTER_DAYS)


ANSWERED_STATUSES = {Status.INTERVIEWING, Status.OFFER, Status.REJECTED}
INTERVIEW_STATUSES = {Status.INTERVIEWING, Status.OFFER}
INTERVIEW_REPLIES = {Reply.Kind.INTERVIEW, Reply.Kind.OFFER}


@dataclass
class Record:
    """One application as the statistics see it."""

    id: int
    title: str
    company: str
    status: str
    added: dt.date
    band: str  # at sending (see load)
    source: str
    language: str
    sent: dt.date | None = None
    first_reply: dt.date | None = None
    interview: bool = False
    offer: bool = False
    rejected: bool = False
    ended: dt.date | None = None  # withdrawn on this day: observed until then
    posted: dt.date | None = None  # the posting's own date, when its page gave one
    words: int | None = None
    # The CV the sent letter was drafted from: the one it quoted most (DraftVersion.materials_used).
    cv: str | None = None
    followed_up: bool = False
    approaches: set[int] = field(default_factory=set)
    _resolved: tuple[dt.date, bool] | None = field(default=None, repr=False, compare=False)

    @property
    def replied(self) -> bool:
        return self.first_reply is not None

    def no_answer(self, today: dt.date) -> bool:
        if self.sent is None or self.replied:
            return False
        if self.status == Status.GHOSTED:
            return True
        if self.status == Status.WITHDRAWN:
            return False
        return (today - self.sent).days > no_answer_days()

    def resolved(self, today: dt.date) -> bool:
        """Whether the application counts in the rates: it got a reply, or it is past waiting for one."""
        # Asked once per breakdown; worked out once per day asked about.
        if self._resolved is None or self._resolved[0] != today:
            self._resolved = (today, self.replied or self.no_answer(today))
        return self._resolved[1]


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def _earliest(current: dt.date | None, candidate: dt.date) -> dt.date:
    return candidate if current is None or candidate < current else current


def _source(url: str) -> str:
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.")


def load(user: User) -> list[Record]:
    """The user's applications with their outcomes: eight queries whatever the numbers."""
    records: dict[int, Record] = {}
    # No ORDER BY anywhere here: the rows are summed, and sorting 20,000 of them costs time for nothing.
    rows = (
        Application.objects.filter(user=user)
        .order_by()
        .values_list(
            "id",
            "title",
            "company",
            "status",
            "created_at",
            "sent_at",
            "band",
            "source_url",
            "language",
            "follow_up_done_at",
            "status_changed_at",
            "posted_on",
        )
    )
    sent_at: dict[int, dt.datetime] = {}
    for pk, title, company, status, created, sent, band, url, language, followed, changed, posted in rows:
        record = Record(pk, title, company, status, _day(created), band, _source(url), language)
        record.posted = posted
        record.sent = _day(sent) if sent else None
        if sent:
            sent_at[pk] = sent
        record.followed_up = followed is not None
        record.ended = _day(changed) if status == Status.WITHDRAWN else None
        records[pk] = record

    def answered(pk: int, day: dt.date) -> None:
        record = records.get(pk)
        # An answer dated before the letter went out belongs to an earlier contact, not to this letter.
        if record is not None and record.sent is not None and day >= record.sent:
            record.first_reply = _earliest(record.first_reply, day)

    changes = StatusChange.objects.filter(application__user=user, new__in=ANSWERED_STATUSES)
    for pk, new, changed_at in changes.order_by().values_list("application_id", "new", "changed_at"):
        answered(pk, _day(changed_at))
        records[pk].interview |= new in INTERVIEW_STATUSES
        records[pk].offer |= new == Status.OFFER
        records[pk].rejected |= new == Status.REJECTED
    replies = Reply.objects.filter(application__user=user)
    for pk, kind, suggested, received in replies.order_by().values_list(
        "application_id", "kind", "suggested_kind", "received_at"
    ):
        answered(pk, _day(received))
        kind = kind or suggested
        records[pk].interview |= kind in INTERVIEW_REPLIES
        records[pk].offer |= kind == Reply.Kind.OFFER
        records[pk].rejected |= kind == Reply.Kind.REJECTION
    entries = DiaryEntry.objects.filter(
        user=user, application__isnull=False, kind__in=[Kind.REPLY, Kind.INTERVIEW]
    )
    for pk, kind, occurred in entries.order_by().values_list("application_id", "kind", "occurred_on"):
        if pk is not None and pk in records:
            answered(pk, occurred)
            records[pk].interview |= kind == Kind.INTERVIEW
    # The letter that went out first is the one the employer answered.
    letters = SentVersion.objects.filter(application__user=user).order_by("sent_on", "id")
    for pk, words, language, used in letters.values_list(
        "application_id", "version__word_count", "version__language", "version__materials_used"
    ):
        record = records[pk]
        if record.words is None:
            record.words, record.language = words, language or record.language
            record.cv = next((str(m["title"]) for m in used or () if m.get("kind") == "cv"), None)
    # The fit band when the letter went out: the latest score made before sending. A later rescore (new
    # materials, a better scorer) must not rewrite what the user knew when they chose to apply.
    at_sending: dict[int, tuple[dt.datetime, str]] = {}
    for pk, band, scored in (
        FitScore.objects.filter(application__user=user, application__sent_at__isnull=False)
        .order_by()
        .values_list("application_id", "band", "created_at")
    ):
        if scored <= sent_at[pk] and (pk not in at_sending or scored > at_sending[pk][0]):
            at_sending[pk] = (scored, band)
    for pk, (_scored, band) in at_sending.items():
        records[pk].band = band
    for pk, approach in (
        ApproachUse.objects.filter(approach__user=user)
        .order_by()
        .values_list("application_id", "approach_id")
    ):
        records[pk].approaches.add(approach)
    # A diary entry about an application, tagged with an approach, says the approach was tried on it.
    for pk, approach in (
        EntryApproach.objects.filter(entry__user=user, entry__application__isnull=False)
        .order_by()
        .values_list("entry__application_id", "approach_id")
    ):
        if pk in records:
            records[pk].approaches.add(approach)
    return list(records.values())


# --- Summaries -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    label: str
    replies: Rate
    interviews: Rate
    # Against the rest of the applications in the same breakdown.
    verdict: str


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    groups: list[Group]

    @property
    def shown(self) -> list[Group]:
        return [g for g in self.groups if g.replies.enough]

    @property
    def differences(self) -> list[Group]:
        return [g for g in self.groups if g.verdict in (Verdict.HIGHER, Verdict.LOWER)]


@dataclass(frozen=True)
class Funnel:
    added: int
    sent: int
    replied: int
    interview: int
    offer: int
    waiting: int
    no_answer: int


@dataclass(frozen=True)
class Calibration:
    groups: list[Group]
    # "predicts", "backwards", "does_not_predict" or "too_few"
    finding: str


@dataclass(frozen=True)
class Insights:
    today: dt.date
    records: list[Record]
    funnel: Funnel
    replies: Rate
    interviews: Rate
    curve: list[Step]
    median_reply_days: int | None
    approaches: list[Breakdown]
    breakdowns: list[Breakdown]
    calibration: Calibration


@dataclass(frozen=True)
class _Counts:
    """Counted applications (replied or past waiting), with how many of them had a reply, an interview."""

    n: int = 0
    replied: int = 0
    interview: int = 0

    def __add__(self, other: _Counts) -> _Counts:
        return _Counts(self.n + other.n, self.replied + other.replied, self.interview + other.interview)

    def __sub__(self, other: _Counts) -> _Counts:
        return _Counts(self.n - other.n, self.replied - other.replied, self.interview - other.interview)

    def rates(self) -> tuple[Rate, Rate]:
        return wilson(self.replied, self.n), wilson(self.interview, self.n)


def _counts(records: Iterable[Record], today: dt.date) -> _Counts:
    resolved = [r for r in records if r.resolved(today)]
    return _Counts(len(resolved), sum(r.replied for r in resolved), sum(r.interview for r in resolved))


def _rates(records: list[Record], today: dt.date) -> tuple[Rate, Rate]:
    return _counts(records, today).rates()


def breakdown(
    key: str,
    title: str,
    sent: list[Record],
    today: dt.date,
    group_of: Callable[[Record], str | None],
    order: Iterable[str] = (),
) -> Breakdown:
    """Rates per group, each compared with the rest of the sent applications that have a group."""
    members: dict[str, list[Record]] = defaultdict(list)
    for record in sent:
        label = group_of(record)
        if label is not None:
            members[label].append(record)
    ranked = [label for label in order if label in members]
    ranked += sorted(label for label in members if label not in ranked)
    # The rest of a group is everyone else with a group: counted once and subtracted, so a breakdown costs
    # one pass over the applications however many groups it has (months, sources).
    counts = {label: _counts(rows, today) for label, rows in members.items()}
    total = sum(counts.values(), _Counts())
    groups = []
    for label in ranked:
        inside = counts[label].rates()
        rest = (total - counts[label]).rates()
        groups.append(Group(label, inside[0], inside[1], compare(inside[0], rest[0])))
    return Breakdown(key, title, groups)


def _calibration(sent: list[Record], today: dt.date) -> Calibration:
    labels = {band.value: str(band.label) for band in Band}
    table = breakdown("band", _("Fit band"), sent, today, lambda r: labels.get(r.band), order=labels.values())
    by_label = {g.label: g.replies for g in table.groups}
    high, low = by_label.get(labels[Band.HIGH]), by_label.get(labels[Band.LOW])
    if high is None or low is None or not (high.enough and low.enough):
        finding = "too_few"
    elif compare(high, low) == Verdict.HIGHER:
        finding = "predicts"
    elif compare(high, low) == Verdict.LOWER:
        finding = "backwards"
    else:
        finding = "does_not_predict"
    return Calibration(table.groups, finding)


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _with_or_without(approach: int) -> Callable[[Record], str | None]:
    # Translated once, not once per application.
    with_it, without = _("With"), _("Without")

    def group_of(record: Record) -> str | None:
        return with_it if approach in record.approaches else without

    return group_of


def compute(user: User, approaches: Iterable[Approach] = (), today: dt.date | None = None) -> Insights:
    """`approaches`: the user's, which the caller has already fetched for its own list."""
    today = today or timezone.localdate()
    records = load(user)
    sent = [r for r in records if r.sent is not None]
    replies, interviews = _rates(sent, today)
    observations = [
        ((r.first_reply - r.sent).days, True)
        if r.first_reply is not None
        else (max(0, ((r.ended or today) - r.sent).days), False)
        for r in sent
        if r.sent is not None
    ]
    curve = kaplan_meier(observations)
    funnel = Funnel(
        added=len(records),
        sent=len(sent),
        replied=sum(r.replied for r in sent),
        interview=sum(r.interview for r in sent),
        offer=sum(r.offer for r in sent),
        waiting=sum(not r.resolved(today) and r.status != Status.WITHDRAWN for r in sent),
        no_answer=sum(r.no_answer(today) for r in sent),
    )
    by_approach = [
        breakdown(
            f"approach-{approach.pk}",
            approach.name,
            sent,
            today,
            _with_or_without(approach.pk),
            order=(_("With"), _("Without")),
        )
        for approach in approaches
    ]
    yes, no, no_address = _("Yes"), _("No"), _("No address")
    short, long = _("Up to %(words)d words") % {"words": SHORT_LETTER_WORDS}, _("Longer")
    quick, later = _("Within %(days)d days of adding it") % {"days": QUICK_DAYS}, _("Later")
    early = _("Within %(days)d days of the posting's date") % {"days": EARLY_DAYS}
    breakdowns = [
        breakdown(
            "length",
            _("Letter length"),
            sent,
            today,
            lambda r: None if r.words is None else (short if r.words <= SHORT_LETTER_WORDS else long),
            order=(short, long),
        ),
        breakdown("cv", _("CV the letter was drafted from"), sent, today, lambda r: r.cv),
        breakdown(
            "language",
            _("Letter language"),
            sent,
            today,
            lambda r: _language_name(r.language) if r.language else None,
        ),
        breakdown(
            "speed",
            _("Sent"),
            sent,
            today,
            lambda r: quick if r.sent is not None and (r.sent - r.added).days <= QUICK_DAYS else later,
            order=(quick, later),
        ),
        breakdown(
            "since_posted",
            _("Days from the posting's date to sending"),
            sent,
            today,
            lambda r: (
                None
                if r.posted is None or r.sent is None
                else (early if (r.sent - r.posted).days <= EARLY_DAYS else later)
            ),
            order=(early, later),
        ),
        breakdown(
            "follow_up",
            _("Followed up"),
            sent,
            today,
            lambda r: yes if r.followed_up else no,
            order=(yes, no),
        ),
        breakdown("source", _("Where the posting was found"), sent, today, lambda r: r.source or no_address),
        breakdown(
            "month", _("Month sent"), sent, today, lambda r: r.sent.strftime("%Y-%m") if r.sent else None
        ),
    ]
    return Insights(
        today=today,
        records=records,
        funnel=funnel,
        replies=replies,
        interviews=interviews,
        curve=curve,
        median_reply_days=median_days(curve),
        approaches=by_approach,
        breakdowns=breakdowns,
        calibration=_calibration(sent, today),
    )


def suggestion(insights: Insights) -> str | None:
    """One thing to try, grounded in a difference the intervals support; None when there is none."""
    for table in insights.approaches:
        with_it = next((g for g in table.groups if g.label == _("With")), None)
        if with_it is not None and with_it.verdict == Verdict.HIGHER:
            return _(
                "Applications where you tried “%(approach)s” got a reply more often (%(hits)d of %(n)d). "
                "This is an association, not proof of cause, but it is worth trying again."
            ) % {"approach": table.title, "hits": with_it.replies.hits, "n": with_it.replies.n}
    for table in insights.breakdowns:
        best = next((g for g in table.groups if g.verdict == Verdict.HIGHER), None)
        if best is not None:
            return _(
                "%(dimension)s “%(group)s” went with more replies (%(hits)d of %(n)d). This is an "
                "association, not proof of cause."
            ) % {
                "dimension": table.title,
                "group": best.label,
                "hits": best.replies.hits,
                "n": best.replies.n,
            }
    return None
