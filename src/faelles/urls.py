"""Root URL configuration: the web shell, management pages, the API under /api/v1/ and the
OpenAPI schema with its browsable UI."""

from django.contrib import admin
from django.urls import include, path

from faelles.web.apidocs import DocsView, SchemaView
from faelles.web.forms import AdminLoginForm
from faelles.web.health import metrics_view

# The admin's login is throttled like the application's.
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", include("faelles.web.urls")),
    path("administration/", include("faelles.tenancy.urls")),
    path("ledger/", include("faelles.ledger.urls")),
    path("payables/", include("faelles.payables.urls")),
    path("cases/", include("faelles.cases.urls")),
    path("payroll/", include("faelles.payroll.urls")),
    path("control/", include("faelles.control.urls")),
    path("insight/", include("faelles.insight.urls")),
    path("servicedesk/", include("faelles.servicedesk.urls")),
    path("purchasing/", include("faelles.purchasing.urls")),
    path("economics/", include("faelles.economics.urls")),
    path("oidc/", include("faelles.web.oidc")),
    path("admin/", admin.site.urls),
    path("api/v1/tenancy/", include("faelles.tenancy.api.urls")),
    path("api/v1/ledger/", include("faelles.ledger.api.urls")),
    path("api/v1/payables/", include("faelles.payables.api.urls")),
    path("api/v1/servicedesk/", include("faelles.servicedesk.api.urls")),
    path("api/v1/cases/", include("faelles.cases.api.urls")),
    path("api/v1/purchasing/", include("faelles.purchasing.api.urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Prometheus scrapes; /healthz and /readyz are answered by faelles.web.health's middleware.
    path("metrics", metrics_view, name="metrics"),
]
