from django.urls import path

from faelles.payroll import views

app_name = "payroll"

urlpatterns = [
    path("runs/", views.RunList.as_view(), name="run-list"),
    path("runs/<int:pk>/", views.RunDetail.as_view(), name="run-detail"),
    path("runs/<int:pk>/pain001.xml", views.RunPain001.as_view(), name="run-pain001"),
    path("runs/<int:pk>/eindkomst.txt", views.RunEIndkomst.as_view(), name="run-eindkomst"),
    path("runs/<int:pk>/<str:action>/", views.RunAction.as_view(), name="run-action"),
    path("payslips/<int:pk>/", views.PayslipDetail.as_view(), name="payslip-detail"),
    path("payslips/<int:pk>/pdf/", views.PayslipPdf.as_view(), name="payslip-pdf"),
    path("payslips/<int:pk>/stop/", views.PayslipStop.as_view(), name="payslip-stop"),
    path("changes/", views.ChangeList.as_view(), name="change-list"),
    path("changes/<int:pk>/<str:action>/", views.ChangeAction.as_view(), name="change-action"),
    path("my/", views.MyPayslips.as_view(), name="my-payslips"),
]
