"""Customer-facing URLs (Polish paths, English names). See the URL map in docs/."""

from django.urls import path

from ebok.portal.views import accessibility, auth, customer, home, pending

app_name = "portal"

urlpatterns = [
    # --- start page and session (foundation) ---
    path("", home.home, name="home"),
    path("logo/", home.logo, name="logo"),
    path("logowanie/", auth.login_view, name="login"),
    path("wyloguj/", auth.logout_view, name="logout"),
    path("deklaracja-dostepnosci/", accessibility.statement, name="accessibility"),
    path("kontrahent/wybierz/", customer.switch, name="customer_switch"),
    # --- account lifecycle ---
    path("rejestracja/", pending.public_pending, {"feature": "registration"}, name="registration"),
    path("przypomnienie/", pending.public_pending, {"feature": "reminder"}, name="reminder"),
    path("haslo/zmiana/", pending.pending, {"feature": "password_change"}, name="password_change"),
    # --- self-service ---
    path("kontrahent/", customer.detail, name="customer"),
    path("faktury/", pending.pending, {"feature": "invoices"}, name="invoices"),
    path("faktury/saldo/", pending.pending, {"feature": "balance"}, name="balance"),
    path("umowy/", pending.pending, {"feature": "contracts"}, name="contracts"),
    # --- correspondence ---
    path(
        "kontrahent/zmiana-danych/",
        pending.pending,
        {"feature": "data_change"},
        name="data_change",
    ),
    path("uwagi/nowa/", pending.public_pending, {"feature": "remark"}, name="remark_new"),
    path("wnioski/", pending.pending, {"feature": "requests"}, name="requests"),
    path("pisma/", pending.pending, {"feature": "letters"}, name="letters"),
]
