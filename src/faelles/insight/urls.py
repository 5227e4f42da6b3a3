from django.urls import path

from faelles.insight import views

app_name = "insight"

urlpatterns = [
    path("", views.InstitutionView.as_view(), name="institution"),
    path("operator/", views.OperatorView.as_view(), name="operator"),
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task-detail"),
    path("candidates/", views.CandidatesView.as_view(), name="candidates"),
]
