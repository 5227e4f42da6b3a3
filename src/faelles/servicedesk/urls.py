from django.urls import path

from faelles.servicedesk import views

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
    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket-detail"),
    path("tickets/<int:pk>/<str:action>/", views.TicketActionView.as_view(), name="ticket-action"),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("articles/", views.ArticleListView.as_view(), name="articles"),
    path("articles/new/", views.ArticleEditView.as_view(), name="article-new"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<int:pk>/edit/", views.ArticleEditView.as_view(), name="article-edit"),
    path("catalogue/", views.CatalogueView.as_view(), name="catalogue"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
]
