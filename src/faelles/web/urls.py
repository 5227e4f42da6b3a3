from django.urls import path

from faelles.web import oidc, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", oidc.LogoutView.as_view(), name="logout"),
    path("institution/", views.switch_institution, name="switch-institution"),
    path("api-token/", views.api_token, name="api-token"),
    path("password/", views.password_change, name="password-change"),
]
