from django.urls import path

from faelles.servicedesk import views, views_chargeback, views_places, views_quality

app_name = "servicedesk"

urlpatterns = [
    path("", views.PortalView.as_view(), name="portal"),
    path("new/", views.PortalNewView.as_view(), name="portal-new"),
    path("my/<int:pk>/", views.PortalTicketView.as_view(), name="portal-ticket"),
    path(
        "my/<int:pk>/<str:action>/",
        views.PortalTicketActionView.as_view(),
        name="portal-ticket-action",
    ),
    path("tickets/", views.TicketListView.as_view(), name="tickets"),
    path("tickets/new/", views.TicketNewView.as_view(), name="ticket-new"),
    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket-detail"),
    path("tickets/<int:pk>/<str:action>/", views.TicketActionView.as_view(), name="ticket-action"),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("articles/", views.ArticleListView.as_view(), name="articles"),
    path("articles/new/", views.ArticleEditView.as_view(), name="article-new"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<int:pk>/edit/", views.ArticleEditView.as_view(), name="article-edit"),
    path("catalogue/", views.CatalogueView.as_view(), name="catalogue"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    # Locations and assets (issue 14, item 2)
    path("locations/", views_places.LocationListView.as_view(), name="locations"),
    path("locations/new/", views_places.LocationEditView.as_view(), name="location-new"),
    path("locations/<int:pk>/", views_places.LocationDetailView.as_view(), name="location-detail"),
    path("locations/<int:pk>/edit/", views_places.LocationEditView.as_view(), name="location-edit"),
    path("assets/", views_places.AssetListView.as_view(), name="assets"),
    path("assets/new/", views_places.AssetEditView.as_view(), name="asset-new"),
    path("assets/<int:pk>/", views_places.AssetDetailView.as_view(), name="asset-detail"),
    path("assets/<int:pk>/edit/", views_places.AssetEditView.as_view(), name="asset-edit"),
    # Quality and suppliers (issue 14, item 3)
    path("quality/inspections/", views_quality.InspectionListView.as_view(), name="inspections"),
    path(
        "quality/inspections/<int:pk>/",
        views_quality.InspectionDetailView.as_view(),
        name="inspection-detail",
    ),
    path(
        "quality/inspections/<int:pk>/<str:action>/",
        views_quality.InspectionActionView.as_view(),
        name="inspection-action",
    ),
    path("quality/contracts/", views_quality.ContractListView.as_view(), name="contracts"),
    path("quality/contracts/<int:pk>/", views_quality.ScorecardView.as_view(), name="scorecard"),
    path(
        "quality/survey/<int:pk>/", views_quality.TicketSurveyView.as_view(), name="ticket-survey"
    ),
    path("quality/yearly/", views_quality.YearlySurveyView.as_view(), name="survey-yearly"),
    # Chargeback (issue 14, item 4)
    path("chargeback/", views_chargeback.StatementListView.as_view(), name="statements"),
    path(
        "chargeback/<int:pk>/",
        views_chargeback.StatementDetailView.as_view(),
        name="statement-detail",
    ),
    path(
        "chargeback/<int:pk>/post/",
        views_chargeback.StatementPostView.as_view(),
        name="statement-post",
    ),
    path(
        "chargeback/lines/<int:pk>/correct/",
        views_chargeback.StatementLineCorrectView.as_view(),
        name="statement-line-correct",
    ),
    path("chargeback/forum/", views_chargeback.ForumReportView.as_view(), name="forum"),
]
