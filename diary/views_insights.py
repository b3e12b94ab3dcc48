"""The insights page (what is working), the approaches the user names and tags applications with, and the
weekly review setting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications.models import Application
from diary import actions, charts, insights
from diary.forms import ApproachForm, TagForm, WeeklyReviewForm
from diary.models import Approach, ApproachUse, DiaryEntry, EntryApproach, ReviewSettings
from omoikane.types import AuthenticatedHttpRequest
from privacy_kernel.audit import Actor, audited
from privacy_kernel.events import Event
from privacy_kernel.shortcuts import owned_or_404

# The approach page lists the newest entries tagged with it; the diary holds them all.
MAX_ENTRIES_SHOWN = 50


def _charts(found: insights.Insights) -> dict[str, Any]:
    funnel = found.funnel
    funnel_rows = [
        (_("Added"), funnel.added),
        (_("Sent"), funnel.sent),
        (_("Replied"), funnel.replied),
        (_("Interview"), funnel.interview),
        (_("Offer"), funnel.offer),
    ]
    tables = []
    for table in [*found.approaches, *found.breakdowns]:
        shown = table.shown
        tables.append(
            {
                "table": table,
                "chart": charts.rate_chart(
                    _("Reply rate by %(what)s") % {"what": table.title},
                    [(g.label, g.replies) for g in shown],
                    chart_id=f"chart-{table.key}",
                )
                if len(shown) >= 2
                else None,
            }
        )
    calibration = [g for g in found.calibration.groups if g.replies.enough]
    return {
        "funnel_rows": funnel_rows,
        "funnel_chart": charts.count_chart(_("From added to offer"), funnel_rows, chart_id="chart-funnel"),
        "curve_chart": charts.curve_chart(
            _("Share with a first reply, by days since sending"),
            found.curve,
            days_label=_("days since sending"),
            chart_id="chart-curve",
        )
        if found.curve
        else None,
        "curve_rows": [step for step in found.curve if step.events],
        "tables": tables,
        "calibration_chart": charts.rate_chart(
            _("Reply rate by fit band"),
            [(g.label, g.replies) for g in calibration],
            chart_id="chart-calibration",
        )
        if calibration
        else None,
    }


def _count(model: type[ApproachUse] | type[EntryApproach]) -> Coalesce:
    per_approach = (
        model.objects.filter(approach=OuterRef("pk")).order_by().values("approach").annotate(n=Count("id"))
    )
    return Coalesce(Subquery(per_approach.values("n")), 0)


def _insights_page(
    request: AuthenticatedHttpRequest, *, approach_form: ApproachForm | None = None, status: int = 200
) -> HttpResponse:
    # Two counts by subquery: joining both tables at once would multiply their rows before counting.
    approaches = list(
        Approach.objects.owned_by(request.user).annotate(
            tagged=_count(ApproachUse), tagged_entries=_count(EntryApproach)
        )
    )
    found = insights.compute(request.user, approaches)
    review = ReviewSettings.objects.filter(user=request.user).first()
    context = {
        "insights": found,
        "approaches": approaches,
        "approach_form": approach_form or ApproachForm(),
        "review_form": WeeklyReviewForm(initial={"weekly_review": bool(review and review.weekly_review)}),
        "min_per_side": insights.MIN_PER_SIDE,
        "no_answer_days": insights.no_answer_days(),
        **_charts(found),
    }
    return render(request, "diary/insights.html", context, status=status)


@login_required
@require_safe
@audited(Event.INSIGHTS_VIEWED)
def insights_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _insights_page(request)


@login_required
@require_POST
@audited(writes=[Event.APPROACH_ADDED])
def add_approach(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApproachForm(request.POST)
    if form.is_valid():
        try:
            approach = actions.do_add_approach(
                request.user, form.cleaned_data["name"], actor=Actor.from_request(request)
            )
        except actions.DiaryError as error:
            form.add_error("name", str(error.message))
        else:
            messages.success(request, _("Approach added. Now tag the applications you tried it on."))
            return redirect("diary:approach", approach.pk)
    return _insights_page(request, approach_form=form, status=400)


def _approach_page(
    request: AuthenticatedHttpRequest, approach: Approach, form: TagForm | None = None, *, status: int = 200
) -> HttpResponse:
    uses = list(approach.uses.select_related("application").order_by("-application__created_at", "-id"))
    tagged = {use.application_id for use in uses}
    untagged = [
        a
        for a in Application.objects.owned_by(request.user)
        .only("id", "title", "company")
        .order_by("-created_at")
        if a.pk not in tagged
    ]
    entries = list(
        DiaryEntry.objects.filter(approach_tags__approach=approach).select_related("application")[
            :MAX_ENTRIES_SHOWN
        ]
    )
    context = {
        "approach": approach,
        "uses": uses,
        "entries": entries,
        "form": form or TagForm(applications=untagged),
    }
    return render(request, "diary/approach.html", context, status=status)


@login_required
@require_safe
@audited(Event.INSIGHTS_VIEWED)
def approach(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _approach_page(request, owned_or_404(request, Approach, pk=pk))


@login_required
@require_POST
@audited(writes=[Event.APPROACH_TAGGED])
def tag(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = owned_or_404(request, Approach, pk=pk)
    applications = Application.objects.owned_by(request.user).only("id", "title", "company")
    form = TagForm(request.POST, applications=list(applications))
    if not form.is_valid():
        return _approach_page(request, found, form, status=400)
    try:
        actions.do_tag_application(found, form.cleaned_data["application"], actor=Actor.from_request(request))
    except actions.DiaryError as error:
        form.add_error("application", str(error.message))
        return _approach_page(request, found, form, status=400)
    messages.success(request, _("Tagged."))
    return redirect("diary:approach", found.pk)


@login_required
@require_POST
@audited(writes=[Event.APPROACH_UNTAGGED])
def untag(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    use = owned_or_404(request, ApproachUse.objects.select_related("approach__user", "application"), pk=pk)
    actions.do_untag_application(use, actor=Actor.from_request(request))
    messages.success(request, _("Removed."))
    return redirect("diary:approach", use.approach_id)


@login_required
@require_POST
@audited(writes=[Event.APPROACH_DELETED])
def delete_approach(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = owned_or_404(request, Approach.objects.select_related("user"), pk=pk)
    actions.do_delete_approach(found, actor=Actor.from_request(request))
    messages.success(request, _("The approach was deleted; the applications stay."))
    return redirect("diary:insights")


@login_required
@require_POST
@audited(writes=[Event.WEEKLY_REVIEW_CHANGED])
def weekly_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = WeeklyReviewForm(request.POST)
    form.is_valid()  # a checkbox: absent or any value is valid
    on = bool(form.cleaned_data.get("weekly_review"))
    actions.do_set_weekly_review(request.user, on, actor=Actor.from_request(request))
    messages.success(request, _("The weekly review is on.") if on else _("The weekly review is off."))
    return redirect("diary:insights")
