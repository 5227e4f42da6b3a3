"""The case-handling API, mounted at /api/v1/cases/."""

from rest_framework.routers import SimpleRouter

from faelles.cases.api import views

app_name = "cases-api"

router = SimpleRouter(trailing_slash=False)
router.register("case-types", views.CaseTypeViewSet, basename="case-type")
router.register("cases", views.CaseViewSet, basename="case")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = [*router.urls]
