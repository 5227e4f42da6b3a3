"""Management pages of the tenancy app (mounted under /administration/)."""

from django.urls import path

from faelles.tenancy import views

app_name = "tenancy"

urlpatterns = [
    path("institutions/", views.InstitutionList.as_view(), name="institution-list"),
    path("institutions/new/", views.InstitutionCreate.as_view(), name="institution-create"),
    path("institutions/<int:pk>/", views.InstitutionDetail.as_view(), name="institution-detail"),
    path("institutions/<int:pk>/edit/", views.InstitutionEdit.as_view(), name="institution-edit"),
    path("org-units/", views.OrgUnitList.as_view(), name="orgunit-list"),
    path("org-units/new/", views.OrgUnitCreate.as_view(), name="orgunit-create"),
    path("org-units/<int:pk>/", views.OrgUnitDetail.as_view(), name="orgunit-detail"),
    path("org-units/<int:pk>/edit/", views.OrgUnitEdit.as_view(), name="orgunit-edit"),
    path("endpoints/", views.EndpointList.as_view(), name="endpoint-list"),
    path("endpoints/new/", views.EndpointCreate.as_view(), name="endpoint-create"),
    path("endpoints/<int:pk>/", views.EndpointDetail.as_view(), name="endpoint-detail"),
    path("endpoints/<int:pk>/edit/", views.EndpointEdit.as_view(), name="endpoint-edit"),
    path("users/", views.UserList.as_view(), name="user-list"),
    path("users/new/", views.UserCreate.as_view(), name="user-create"),
    path("users/<int:pk>/", views.UserDetail.as_view(), name="user-detail"),
    path("users/<int:pk>/edit/", views.UserEdit.as_view(), name="user-edit"),
    path(
        "users/<int:pk>/password-link/",
        views.UserPasswordLink.as_view(),
        name="user-password-link",
    ),
    path(
        "password/set/<uidb64>/<token>/",
        views.PasswordSet.as_view(),
        name="password-set",
    ),
    path("memberships/", views.MembershipList.as_view(), name="membership-list"),
    path("memberships/new/", views.MembershipCreate.as_view(), name="membership-create"),
    path("memberships/<int:pk>/edit/", views.MembershipEdit.as_view(), name="membership-edit"),
    path(
        "memberships/<int:pk>/revoke/",
        views.MembershipRevoke.as_view(),
        name="membership-revoke",
    ),
    path("delegations/", views.DelegationList.as_view(), name="delegation-list"),
    path("delegations/new/", views.DelegationCreate.as_view(), name="delegation-create"),
    path("delegations/<int:pk>/", views.DelegationDetail.as_view(), name="delegation-detail"),
    path(
        "delegations/<int:pk>/revoke/",
        views.DelegationRevoke.as_view(),
        name="delegation-revoke",
    ),
    path("staff/", views.OperatorStaffList.as_view(), name="staff-list"),
    path("staff/new/", views.OperatorStaffCreate.as_view(), name="staff-create"),
    path("staff/<int:pk>/revoke/", views.OperatorStaffRevoke.as_view(), name="staff-revoke"),
    path(
        "approval-limit-requests/",
        views.ApprovalLimitRequestList.as_view(),
        name="limit-request-list",
    ),
    path(
        "approval-limit-requests/<int:pk>/approve/",
        views.ApprovalLimitRequestApprove.as_view(),
        name="limit-request-approve",
    ),
    path(
        "approval-limit-requests/<int:pk>/refuse/",
        views.ApprovalLimitRequestRefuse.as_view(),
        name="limit-request-refuse",
    ),
    path("agreements/", views.ServiceAgreementList.as_view(), name="agreement-list"),
    path("agreements/new/", views.ServiceAgreementCreate.as_view(), name="agreement-create"),
    path("agreements/<int:pk>/", views.ServiceAgreementDetail.as_view(), name="agreement-detail"),
    path("agreements/<int:pk>/edit/", views.ServiceAgreementEdit.as_view(), name="agreement-edit"),
    path(
        "agreements/<int:pk>/responsibilities/",
        views.ResponsibilitySet.as_view(),
        name="responsibility-set",
    ),
]
