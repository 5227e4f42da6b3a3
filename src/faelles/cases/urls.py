from django.urls import path

from faelles.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.WorklistView.as_view(), name="worklist"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/new/", views.CaseOpenView.as_view(), name="case-open"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("tasks/<int:pk>/", views.TaskFormView.as_view(), name="task-form"),
    path("documents/<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("parties/<int:pk>/cpr/", views.PartyCprView.as_view(), name="party-cpr"),
    path("types/", views.CaseTypeListView.as_view(), name="case-type-list"),
    path("types/upload/", views.CaseTypeUploadView.as_view(), name="case-type-upload"),
    path("types/<int:pk>/", views.CaseTypeDetailView.as_view(), name="case-type-detail"),
    path("types/<int:pk>/letters/", views.LetterTemplatesView.as_view(), name="letter-templates"),
    path(
        "types/<int:pk>/letters/<slug:kind>.docx",
        views.LetterTemplateDownloadView.as_view(),
        name="letter-template-download",
    ),
    path("times/", views.case_times, name="case-times"),
]
