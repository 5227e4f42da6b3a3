"""The tenancy API, mounted at /api/v1/tenancy/."""

from rest_framework.routers import DefaultRouter

from faelles.tenancy.api import views

app_name = "tenancy-api"

router = DefaultRouter()
# No `.json` suffix routes: the actions do not take a format argument (a suffix gave 500).
router.include_format_suffixes = False
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("org-units", views.OrgUnitViewSet, basename="org-unit")
router.register("endpoints", views.EndpointViewSet, basename="endpoint")
router.register("users", views.UserViewSet, basename="user")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("delegations", views.DelegationViewSet, basename="delegation")
router.register("service-agreements", views.ServiceAgreementViewSet, basename="service-agreement")
router.register(
    "approval-limit-requests", views.ApprovalLimitRequestViewSet, basename="approval-limit-request"
)

urlpatterns = router.urls
