"""Pages of quality and suppliers (issue 14, item 3): INSTA 800 inspections (plan, assess the
sampled rooms, complete), the supplier scorecards per contract (live figures, issue, export),
and the satisfaction surveys (after a closed ticket, yearly). Thin: parse, check, call one
service, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from faelles.core.access import access_object, restrict
from faelles.core.audit import Denied
from faelles.servicedesk import quality, scorecard, selectors
from faelles.servicedesk.models import Location, Status
from faelles.servicedesk.quality_models import (
    CleaningInspection,
    InspectedRoom,
    ObjectGroup,
    Scorecard,
)
from faelles.servicedesk.views import _errors, _institution, _Page, _user
from faelles.web.exports import Column, export_links, export_records, requested_format


def _date(text: str | None) -> date | None:
    """A date from a form or query value; None when empty or not a date (2026-02-30)."""
    try:
        return parse_date(text or "")
    except ValueError:
        return None


def _inspections(request: HttpRequest) -> Any:
    """Inspections the user sees: agents of the institutions served, and the institution's
    contact persons (``Area.SERVICE_CONTACT``), in the current institution."""
    return restrict(
        CleaningInspection,
        user=_user(request),
        institution=_institution(request),
        roles=selectors.CONTACT_ROLES,
    )


class InspectionListView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        if not selectors.is_contact(user, institution):
            raise PermissionDenied
        assert institution is not None
        rows = _inspections(request).select_related("building", "contract")[:200]
        agent = selectors.is_agent(user, institution)
        contracts = scorecard.visible_contracts(user).filter(institutions=institution)
        buildings = Location.objects.for_institution(institution).filter(
            level=Location.Level.BUILDING
        )
        return render(
            request,
            "servicedesk/quality/inspections.html",
            {
                "inspections": rows,
                "agent": agent,
                "contracts": contracts,
                "buildings": buildings,
                "today": timezone.localdate(),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        if institution is None:
            raise PermissionDenied
        contract = (
            scorecard.visible_contracts(user)
            .filter(institutions=institution, pk=request.POST.get("contract") or 0)
            .first()
        )
        building = (
            Location.objects.for_institution(institution)
            .filter(pk=request.POST.get("building") or 0, level=Location.Level.BUILDING)
            .first()
        )
        on = _date(request.POST.get("inspected_on"))
        if contract is None or building is None or on is None:
            messages.error(request, _("Choose a contract, a building and a date."))
            return HttpResponseRedirect(reverse("servicedesk:inspections"))
        try:
            inspection = quality.inspection_plan(
                actor=user, contract=contract, building=building, inspected_on=on
            )
        except Denied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            _errors(request, exc)
            return HttpResponseRedirect(reverse("servicedesk:inspections"))
        return HttpResponseRedirect(reverse("servicedesk:inspection-detail", args=[inspection.pk]))


def _access_inspection(request: HttpRequest, pk: Any) -> CleaningInspection:
    return access_object(
        CleaningInspection.objects.select_related("building", "contract", "inspector"),
        user=_user(request),
        pk=pk,
        roles=selectors.CONTACT_ROLES,
    )


class InspectionDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = _access_inspection(request, pk)
        rooms = inspection.rooms.select_related("room").order_by("room__code")
        return render(
            request,
            "servicedesk/quality/inspection_detail.html",
            {
                "inspection": inspection,
                "rooms": rooms,
                "groups": ObjectGroup.choices,
                "agent": selectors.is_agent(_user(request), inspection.institution),
                "limits": quality.ACCEPTANCE_LIMITS,
            },
        )


class InspectionActionView(_Page):
    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        inspection = _access_inspection(request, pk)
        user = _user(request)
        back = HttpResponseRedirect(reverse("servicedesk:inspection-detail", args=[pk]))
        try:
            if action == "assess":
                room = InspectedRoom.objects.filter(
                    inspection=inspection, pk=request.POST.get("room") or 0
                ).first()
                if room is None:
                    raise Http404
                defects = {g: request.POST.get(g, "0").strip() or "0" for g in ObjectGroup.values}
                quality.inspection_assess(
                    actor=user,
                    inspected=room,
                    defects=defects,
                    note=request.POST.get("note", ""),
                )
            elif action == "complete":
                quality.inspection_complete(actor=user, inspection=inspection)
            else:
                raise Http404
        except Denied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            _errors(request, exc)
        return back


# --- scorecards --------------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    start = _date(request.GET.get("from")) or date(today.year, 1, 1)
    end = _date(request.GET.get("to")) or today
    return start, max(start, end)


class ContractListView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        contracts = scorecard.visible_contracts(_user(request)).select_related("supplier")
        return render(request, "servicedesk/quality/contracts.html", {"contracts": contracts})


SCORE_COLUMNS = [
    Column(_l("Measure"), lambda r: r[0]),
    Column(_l("Value"), lambda r: r[1]),
]


class ScorecardView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        contract = scorecard.access_contract(user, pk)
        start, end = _period(request)
        served = scorecard.contract_institutions(user, contract)
        figures = scorecard.contract_figures(contract, served, start, end)
        rows = [
            (_("Tickets resolved"), figures.tickets_resolved),
            (_("Service targets met (%)"), figures.sla_met_pct),
            (_("Inspections completed"), figures.inspections),
            (_("Inspections approved (%)"), figures.inspections_pct),
            (_("Rooms inspected"), figures.rooms_inspected),
            (_("Rooms not approved"), figures.rooms_not_approved),
            (_("Satisfaction (1–5)"), figures.satisfaction),
            (_("Satisfaction answers"), figures.satisfaction_answers),
            (_("Penalties (DKK)"), figures.penalty_total),
        ]
        fmt = requested_format(request)
        if fmt:
            return export_records(
                fmt, f"scorecard-{contract.reference}-{start}-{end}", SCORE_COLUMNS, rows
            )
        return render(
            request,
            "servicedesk/quality/scorecard.html",
            {
                "contract": contract,
                "start": start,
                "end": end,
                "figures": figures,
                "rows": rows,
                "served": served,
                "complete": scorecard.serves_all(user, contract),
                "issued": Scorecard.objects.filter(contract=contract).order_by("-period_start"),
                "export_links": export_links(request),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        contract = scorecard.access_contract(user, pk)
        start = _date(request.POST.get("from"))
        end = _date(request.POST.get("to"))
        back = reverse("servicedesk:scorecard", args=[pk])
        if start is None or end is None:
            messages.error(request, _("Give the period."))
            return HttpResponseRedirect(back)
        try:
            scorecard.scorecard_issue(actor=user, contract=contract, start=start, end=end)
        except Denied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The scorecard is issued."))
        return HttpResponseRedirect(f"{back}?from={start}&to={end}")


# --- surveys -----------------------------------------------------------------------------------


def _int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


class TicketSurveyView(_Page):
    """The survey after a closed ticket, in the portal (its requester answers)."""

    def _ticket(self, request: HttpRequest, pk: int) -> Any:
        return selectors.access_portal_ticket(_user(request), pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = self._ticket(request, pk)
        return render(
            request,
            "servicedesk/quality/survey.html",
            {
                "ticket": ticket,
                "questions": quality.QUESTIONS,
                "answered": hasattr(ticket, "survey"),
                "closed": ticket.status == Status.CLOSED,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = self._ticket(request, pk)
        answers = {
            q: _int(request.POST[q]) for q in quality.QUESTIONS if request.POST.get(q, "").strip()
        }
        try:
            quality.survey_answer_ticket(
                actor=_user(request),
                ticket=ticket,
                score=_int(request.POST.get("score")),
                answers=answers,
                comment=request.POST.get("comment", ""),
            )
        except Denied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            _errors(request, exc)
            return HttpResponseRedirect(reverse("servicedesk:ticket-survey", args=[pk]))
        messages.success(request, _("Thank you for your answer."))
        return HttpResponseRedirect(reverse("servicedesk:portal-ticket", args=[pk]))


class YearlySurveyView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        if not selectors.may_use_portal(user, institution):
            raise PermissionDenied
        return render(
            request,
            "servicedesk/quality/yearly.html",
            {"year": timezone.localdate().year, "questions": quality.QUESTIONS},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        if institution is None:
            raise PermissionDenied
        answers = {
            q: _int(request.POST[q]) for q in quality.QUESTIONS if request.POST.get(q, "").strip()
        }
        try:
            quality.survey_answer_yearly(
                actor=user,
                institution=institution,
                year=timezone.localdate().year,
                score=_int(request.POST.get("score")),
                answers=answers,
                comment=request.POST.get("comment", ""),
            )
        except Denied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            _errors(request, exc)
            return HttpResponseRedirect(reverse("servicedesk:survey-yearly"))
        messages.success(request, _("Thank you for your answer."))
        return HttpResponseRedirect(reverse("servicedesk:portal"))


__all__ = [
    "ContractListView",
    "InspectionActionView",
    "InspectionDetailView",
    "InspectionListView",
    "ScorecardView",
    "TicketSurveyView",
    "YearlySurveyView",
]
