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
urlpatterns += [
    path("cases/", views.CaseListView.as_view(), name="cases"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/follow-up/", views.FollowUpView.as_view(), name="follow-up"),
    path("shadow-work/", views.ShadowWorkView.as_view(), name="shadow"),
]
