"""The service-desk API, mounted at /api/v1/servicedesk/."""

from rest_framework.routers import SimpleRouter

from faelles.servicedesk.api import views

app_name = "servicedesk-api"

router = SimpleRouter(trailing_slash=False)
router.register("tickets", views.TicketViewSet, basename="ticket")

urlpatterns = [*router.urls]
