from django.urls import path

from faelles.ledger import views

app_name = "ledger"

urlpatterns = [
    path("accounts/", views.AccountList.as_view(), name="account-list"),
    path("accounts/new/", views.AccountCreate.as_view(), name="account-create"),
    path("periods/", views.PeriodList.as_view(), name="period-list"),
    path("periods/<int:pk>/<str:state>/", views.PeriodSetState.as_view(), name="period-state"),
    path("posting-accounts/", views.PostingAccountsEdit.as_view(), name="posting-accounts"),
    path("fiscal-years/open/", views.FiscalYearOpen.as_view(), name="fiscal-year-open"),
    path("entries/", views.EntryList.as_view(), name="entry-list"),
    path("entries/new/", views.EntryCreate.as_view(), name="entry-create"),
    path("entries/<int:pk>/", views.EntryDetail.as_view(), name="entry-detail"),
    path("entries/<int:pk>/post/", views.EntryPost.as_view(), name="entry-post"),
    path("entries/<int:pk>/reverse/", views.EntryReverse.as_view(), name="entry-reverse"),
    path("reports/trial-balance/", views.TrialBalanceView.as_view(), name="trial-balance"),
    path("reports/account/", views.AccountStatementView.as_view(), name="account-statement"),
    path("reports/statements/", views.StatementsView.as_view(), name="statements"),
    path("reports/vat/", views.VatView.as_view(), name="vat"),
    path("reports/costs/", views.CostsView.as_view(), name="costs"),
]
