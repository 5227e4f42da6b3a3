"""The ledger API, mounted at /api/v1/ledger/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from faelles.ledger.api import views

app_name = "ledger-api"

router = DefaultRouter()
# No `.json` suffix routes: the actions do not take a format argument (a suffix gave 500).
router.include_format_suffixes = False
router.register("accounts", views.AccountViewSet, basename="account")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("entries", views.EntryViewSet, basename="entry")
router.register("posting-accounts", views.PostingAccountsViewSet, basename="posting-accounts")

urlpatterns = [
    path("trial-balance/", views.TrialBalanceView.as_view(), name="trial-balance"),
    *router.urls,
]
