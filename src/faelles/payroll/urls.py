from django.urls import path

from faelles.payroll import employee_views, views

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
    path("employees/", employee_views.EmployeeList.as_view(), name="employee-list"),
    path("employees/new/", employee_views.EmployeeCreate.as_view(), name="employee-create"),
    path("employees/<int:pk>/", employee_views.EmployeeDetail.as_view(), name="employee-detail"),
    path("employees/<int:pk>/cpr/", employee_views.EmployeeCpr.as_view(), name="employee-cpr"),
    path(
        "employees/<int:pk>/address/",
        employee_views.EmployeeAddress.as_view(),
        name="employee-address",
    ),
    path("employees/<int:pk>/bank/", employee_views.EmployeeBank.as_view(), name="employee-bank"),
    path(
        "employees/<int:pk>/element/",
        employee_views.EmployeeElement.as_view(),
        name="employee-element",
    ),
    path(
        "employees/<int:pk>/element-end/",
        employee_views.EmployeeElementEnd.as_view(),
        name="employee-element-end",
    ),
    path(
        "employees/<int:pk>/employment/",
        employee_views.EmployeeEmployment.as_view(),
        name="employee-employment",
    ),
    path(
        "employees/<int:pk>/new-employment/",
        employee_views.EmployeeNewEmployment.as_view(),
        name="employee-new-employment",
    ),
    path("my/", views.MyPayslips.as_view(), name="my-payslips"),
]
