"""Operator (back-office) URLs under /obsluga/."""

from django.urls import path

from ebok.backoffice.views import customers, dashboard

app_name = "backoffice"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("kontrahenci/", customers.search, name="customers"),
    path("kontrahenci/<int:pk>/", customers.detail, name="customer"),
    path("liczniki/<int:pk>/", customers.meter, name="meter"),
]
