from django.urls import path

from faelles.payables import (
    bank_views,
    coding_views,
    kpi_views,
    mail_views,
    views_inbox,
    views_intake,
    views_invoice,
    views_payments,
    views_rules,
)

app_name = "payables"

urlpatterns = [
    path("", views_inbox.InboxView.as_view(), name="inbox"),
    path("upload/", views_intake.UploadView.as_view(), name="upload"),
    path("approve/", views_inbox.BulkApproveView.as_view(), name="bulk-approve"),
    path("invoices/<int:pk>/", views_invoice.InvoiceDetailView.as_view(), name="invoice-detail"),
    path("invoices/<int:pk>/xml/", views_invoice.InvoiceXMLView.as_view(), name="invoice-xml"),
    path(
        "invoices/<int:pk>/response/",
        views_invoice.InvoiceResponseView.as_view(),
        name="invoice-response",
    ),
    path(
        "invoices/<int:pk>/response/send/",
        mail_views.InvoiceResponseSendView.as_view(),
        name="invoice-response-send",
    ),
    path("mail/", mail_views.MailListView.as_view(), name="mail"),
    path(
        "mail/<int:pk>/send-again/",
        mail_views.MailSendAgainView.as_view(),
        name="mail-send-again",
    ),
    path("invoices/<int:pk>/code/", coding_views.InvoiceCodeView.as_view(), name="invoice-code"),
    path(
        "invoices/<int:pk>/<str:action>/",
        views_invoice.InvoiceActionView.as_view(),
        name="invoice-action",
    ),
    path("kpis/", kpi_views.KpiView.as_view(), name="kpis"),
    path("rules/", views_rules.RuleListView.as_view(), name="rules"),
    path("rules/routing/new/", views_rules.RoutingRuleCreate.as_view(), name="routing-rule-create"),
    path("rules/coding/new/", views_rules.CodingRuleCreate.as_view(), name="coding-rule-create"),
    path(
        "rules/routing/<int:pk>/edit/",
        views_rules.RoutingRuleUpdate.as_view(),
        name="routing-rule-update",
    ),
    path(
        "rules/coding/<int:pk>/edit/",
        views_rules.CodingRuleUpdate.as_view(),
        name="coding-rule-update",
    ),
    path(
        "rules/<str:kind>/<int:pk>/<str:action>/",
        views_rules.RuleActiveView.as_view(),
        name="rule-active",
    ),
    path("payment-runs/", views_payments.PaymentRunListView.as_view(), name="payment-runs"),
    path("payment-runs/new/", views_payments.PaymentRunCreate.as_view(), name="payment-run-create"),
    path(
        "payment-runs/<int:pk>/",
        views_payments.PaymentRunDetailView.as_view(),
        name="payment-run-detail",
    ),
    path(
        "payment-runs/<int:pk>/file/",
        views_payments.PaymentRunFileView.as_view(),
        name="payment-run-file",
    ),
    path(
        "payment-runs/<int:pk>/<str:action>/",
        views_payments.PaymentRunActionView.as_view(),
        name="payment-run-action",
    ),
    path("bank-changes/", bank_views.BankChangeListView.as_view(), name="bank-changes"),
    path(
        "bank-changes/<int:pk>/",
        bank_views.BankChangeDetailView.as_view(),
        name="bank-change-detail",
    ),
    path(
        "bank-changes/<int:pk>/<str:action>/",
        bank_views.BankChangeActionView.as_view(),
        name="bank-change-action",
    ),
    path("operator/unroutable/", views_intake.UnroutableView.as_view(), name="unroutable"),
    path(
        "operator/documents/<int:pk>/assign/",
        views_intake.DocumentAssignView.as_view(),
        name="document-assign",
    ),
    path(
        "operator/documents/<int:pk>/reject/",
        views_intake.DocumentRejectView.as_view(),
        name="document-reject",
    ),
    path("operator/rejected/", views_intake.RejectedView.as_view(), name="rejected"),
    path("operator/overdue/", views_intake.OverdueView.as_view(), name="overdue"),
]
