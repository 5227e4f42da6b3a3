"""The purchasing API, mounted at /api/v1/purchasing/."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from faelles.purchasing.api import views

app_name = "purchasing-api"

router = SimpleRouter(trailing_slash=False)
router.trailing_slash = "/?"
router.register("orders", views.OrderViewSet, basename="order")

urlpatterns = [
    *router.urls,
    re_path(r"^documents/?$", views.DocumentIntakeView.as_view(), name="document-intake"),
    re_path(
        r"^documents/(?P<pk>[0-9]+)/?$", views.DocumentDetailView.as_view(), name="document-detail"
    ),
]
