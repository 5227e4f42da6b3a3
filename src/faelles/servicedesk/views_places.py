"""Pages of an institution's places and assets (issue 14, item 2) for its contact persons (the
facility manager) and the operator's agents: lists with filters, registering and changing
(through ``places``), and a page per location or asset with the tickets and work orders raised
on it. Another institution's location or asset is 404, like a missing one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from faelles.core.audit import Denied
from faelles.servicedesk import places, selectors
from faelles.servicedesk.forms import AssetForm, LocationForm
from faelles.servicedesk.models import Asset, Location, Ticket
from faelles.servicedesk.views import _errors, _institution, _Page, _user
from faelles.tenancy.models import Institution, User
from faelles.web.generic import audit_events_for

LIST_LIMIT = 500
TICKET_LIMIT = 100


def _contact_institution(request: HttpRequest) -> Institution:
    institution = _institution(request)
    if not selectors.is_contact(_user(request), institution):
        raise PermissionDenied
    assert institution is not None
    return institution


def _members(institution: Institution) -> QuerySet[User]:
    return User.objects.filter(memberships__institution=institution).distinct().order_by("username")


def _tickets(user: User, institution: Institution, qs: QuerySet[Ticket]) -> dict[str, Any]:
    """The newest tickets of ``qs`` and where each one opens: the agent's ticket page, or the
    portal's for a contact person."""
    agent = selectors.is_agent(user, institution)
    rows = list(
        qs.filter(institution=institution)
        .select_related("location", "asset")
        .order_by("-pk")[:TICKET_LIMIT]
    )
    name = "servicedesk:ticket-detail" if agent else "servicedesk:portal-ticket"
    return {"tickets": [(t, reverse(name, args=[t.pk])) for t in rows], "limit": TICKET_LIMIT}


# --- locations ----------------------------------------------------------------------------------


class LocationListView(_Page):
    """The institution's buildings, floors and rooms; filter by level, building and text."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _contact_institution(request)
        qs = selectors.locations_for(user, institution).select_related("parent__parent")
        level = request.GET.get("level", "")
        if level in Location.Level.values:
            qs = qs.filter(level=level)
        building = request.GET.get("building", "")
        if building.isdigit():
            b = int(building)
            qs = qs.filter(Q(pk=b) | Q(parent_id=b) | Q(parent__parent_id=b))
        q = request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
        rows = list(qs.order_by("code")[: LIST_LIMIT + 1])
        return render(
            request,
            "servicedesk/places/locations.html",
            {
                "locations": rows[:LIST_LIMIT],
                "more": len(rows) > LIST_LIMIT,
                "levels": Location.Level.choices,
                "buildings": selectors.locations_for(user, institution).filter(
                    level=Location.Level.BUILDING
                ),
                "level": level,
                "building": building,
                "q": q,
            },
        )


class LocationEditView(_Page):
    """Register a location in the current institution, or change one (of its institution)."""

    def _location(self, request: HttpRequest, pk: int | None) -> tuple[Institution, Any]:
        if pk is None:
            return _contact_institution(request), None
        location = selectors.access_location(_user(request), pk)
        return location.institution, location

    def _form(self, request: HttpRequest, institution: Institution, location: Any) -> Any:
        initial = (
            {
                "level": location.level,
                "parent": location.parent_id,
                "code": location.code,
                "name": location.name,
                "address": location.address,
                "area_m2": location.area_m2,
            }
            if location
            else {"level": request.GET.get("level", Location.Level.BUILDING)}
        )
        parents = Location.objects.for_institution(institution).exclude(level=Location.Level.ROOM)
        return LocationForm(
            request.POST or None,
            initial=initial,
            parents=parents.order_by("code"),
            level_fixed=location is not None,
        )

    def _render(
        self, request: HttpRequest, form: Any, institution: Institution, location: Any
    ) -> HttpResponse:
        cancel = (
            reverse("servicedesk:location-detail", args=[location.pk])
            if location
            else reverse("servicedesk:locations")
        )
        return render(
            request,
            "web/form.html",
            {
                "form": form,
                "title": _("Change the location") if location else _("Register a location"),
                "object": location,
                "form_institution": institution,
                "cancel_url": cancel,
            },
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        institution, location = self._location(request, pk)
        if not selectors.is_contact(_user(request), institution):
            raise PermissionDenied
        return self._render(
            request, self._form(request, institution, location), institution, location
        )

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        institution, location = self._location(request, pk)
        form = self._form(request, institution, location)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = places.location_save(
                    actor=_user(request),
                    institution=institution,
                    level=location.level if location else data["level"],
                    parent=data["parent"],
                    code=data["code"],
                    name=data["name"],
                    address=data["address"],
                    area_m2=data["area_m2"],
                    location=location,
                )
            except Denied:
                raise PermissionDenied from None
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return HttpResponseRedirect(reverse("servicedesk:location-detail", args=[saved.pk]))
        return self._render(request, form, institution, location)


class LocationDetailView(_Page):
    """A location: where it lies, what lies in it, its assets, and the tickets and work
    orders raised on it or on a floor or room under it."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        location = selectors.access_location(user, pk)
        institution = location.institution
        subtree = selectors.location_subtree(location)
        context = {
            "location": location,
            "children": location.children.order_by("code"),
            "assets": Asset.objects.filter(location_id__in=subtree).order_by("tag"),
            "audit_events": audit_events_for(location),
            **_tickets(user, institution, Ticket.objects.filter(location_id__in=subtree)),
        }
        return render(request, "servicedesk/places/location_detail.html", context)


# --- assets -------------------------------------------------------------------------------------


class AssetListView(_Page):
    """The institution's assets; filter by kind, in use, location and text."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _contact_institution(request)
        qs = selectors.assets_for(user, institution).select_related("location", "user")
        kind = request.GET.get("kind", "")
        if kind in Asset.AssetKind.values:
            qs = qs.filter(kind=kind)
        active = request.GET.get("active", "")
        if active in ("yes", "no"):
            qs = qs.filter(is_active=active == "yes")
        q = request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(Q(tag__icontains=q) | Q(name__icontains=q) | Q(serial__icontains=q))
        rows = list(qs.order_by("tag")[: LIST_LIMIT + 1])
        return render(
            request,
            "servicedesk/places/assets.html",
            {
                "assets": rows[:LIST_LIMIT],
                "more": len(rows) > LIST_LIMIT,
                "kinds": Asset.AssetKind.choices,
                "kind": kind,
                "active": active,
                "q": q,
            },
        )


class AssetEditView(_Page):
    def _asset(self, request: HttpRequest, pk: int | None) -> tuple[Institution, Any]:
        if pk is None:
            return _contact_institution(request), None
        asset = selectors.access_asset(_user(request), pk)
        return asset.institution, asset

    def _form(self, request: HttpRequest, institution: Institution, asset: Any) -> Any:
        initial = (
            {
                "tag": asset.tag,
                "name": asset.name,
                "kind": asset.kind,
                "serial": asset.serial,
                "location": asset.location_id,
                "user": asset.user_id,
                "is_active": asset.is_active,
            }
            if asset
            else {"is_active": True}
        )
        return AssetForm(
            request.POST or None,
            initial=initial,
            locations=Location.objects.for_institution(institution).order_by("code"),
            users=_members(institution),
        )

    def _render(
        self, request: HttpRequest, form: Any, institution: Institution, asset: Any
    ) -> HttpResponse:
        cancel = (
            reverse("servicedesk:asset-detail", args=[asset.pk])
            if asset
            else reverse("servicedesk:assets")
        )
        return render(
            request,
            "web/form.html",
            {
                "form": form,
                "title": _("Change the asset") if asset else _("Register an asset"),
                "object": asset,
                "form_institution": institution,
                "cancel_url": cancel,
            },
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        institution, asset = self._asset(request, pk)
        if not selectors.is_contact(_user(request), institution):
            raise PermissionDenied
        return self._render(request, self._form(request, institution, asset), institution, asset)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        institution, asset = self._asset(request, pk)
        form = self._form(request, institution, asset)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = places.asset_save(
                    actor=_user(request), institution=institution, asset=asset, **data
                )
            except Denied:
                raise PermissionDenied from None
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return HttpResponseRedirect(reverse("servicedesk:asset-detail", args=[saved.pk]))
        return self._render(request, form, institution, asset)


class AssetDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        asset = selectors.access_asset(user, pk)
        context = {
            "asset": asset,
            "audit_events": audit_events_for(asset),
            **_tickets(user, asset.institution, Ticket.objects.filter(asset=asset)),
        }
        return render(request, "servicedesk/places/asset_detail.html", context)
