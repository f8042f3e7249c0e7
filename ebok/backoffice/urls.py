"""Operator (back-office) URLs under /obsluga/."""

from django.urls import path

from ebok.backoffice.views import (
    announcements,
    annual,
    api_keys,
    audit,
    company_settings,
    customers,
    dashboard,
    fuel_mix,
    insight,
    interruptions,
    invoices,
    letters,
    operators,
    registrations,
    terms,
)

app_name = "backoffice"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("pisma/", letters.inbox, name="letters"),
    path("pisma/<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("pisma/<int:pk>/prowadzacy/", letters.letter_assign, name="letter_assign"),
    path("pisma/<int:pk>/status/", letters.letter_status, name="letter_status"),
    path("pisma/<int:pk>/notatka/", letters.letter_note, name="letter_note"),
    path("pisma/<int:pk>/odpowiedz/", letters.letter_reply, name="letter_reply"),
    path(
        "pisma/<int:pk>/zmiana-wprowadzona/",
        letters.data_change_applied,
        name="data_change_applied",
    ),
    path("pisma/zalaczniki/<int:pk>/", letters.attachment_download, name="letter_attachment"),
    path("ustawienia/pisma/", letters.configuration, name="letters_config"),
    path("ustawienia/pisma/typy-uwag/<int:pk>/", letters.remark_type_edit, name="remark_type_edit"),
    # The letters configuration moved under the settings; old bookmarks still work.
    path(
        "pisma/konfiguracja/",
        company_settings.letters_config_moved,
        name="letters_config_moved",
    ),
    path("kontrahenci/", customers.search, name="customers"),
    path("kontrahenci/<int:pk>/", customers.detail, name="customer"),
    path(
        "kontrahenci/<int:pk>/informacja-roczna/",
        annual.customer_annual,
        name="customer_annual",
    ),
    path(
        "kontrahenci/<int:pk>/informacja-roczna/<int:year>/pdf/",
        annual.customer_annual_pdf,
        name="customer_annual_pdf",
    ),
    path(
        "kontrahenci/<int:pk>/informacja-roczna/<int:year>/wystaw/",
        annual.customer_annual_reissue,
        name="customer_annual_reissue",
    ),
    path("ustawienia/paliwa/", fuel_mix.fuel_mix_list, name="fuel_mix"),
    path("ustawienia/analiza/", insight.overview, name="insight"),
    path("ustawienia/analiza/przelicz/", insight.recompute, name="insight_recompute"),
    path("ustawienia/paliwa/nowy/", fuel_mix.fuel_mix_edit, name="fuel_mix_new"),
    path("ustawienia/paliwa/<int:year>/", fuel_mix.fuel_mix_edit, name="fuel_mix_edit"),
    path("liczniki/<int:pk>/", customers.meter, name="meter"),
    path("faktury/<int:pk>/pdf/", invoices.pdf, name="invoice_pdf"),
    path("faktury/<int:pk>/ksef.xml", invoices.ksef_xml, name="invoice_ksef_xml"),
    path("komunikaty/", announcements.announcement_list, name="announcements"),
    path("komunikaty/nowy/", announcements.announcement_new, name="announcement_new"),
    path(
        "komunikaty/<int:pk>/publikuj/",
        announcements.announcement_publish,
        name="announcement_publish",
    ),
    path(
        "komunikaty/<int:pk>/wycofaj/",
        announcements.announcement_withdraw,
        name="announcement_withdraw",
    ),
    path("przerwy/", interruptions.interruption_list, name="interruptions"),
    path("przerwy/nowa/", interruptions.interruption_new, name="interruption_new"),
    path("przerwy/import/", interruptions.interruption_import, name="interruption_import"),
    path("przerwy/<int:pk>/", interruptions.interruption_detail, name="interruption"),
    path("przerwy/<int:pk>/zmiana/", interruptions.interruption_edit, name="interruption_edit"),
    path(
        "przerwy/<int:pk>/przedluz/", interruptions.interruption_extend, name="interruption_extend"
    ),
    path("przerwy/<int:pk>/zakoncz/", interruptions.interruption_end, name="interruption_end"),
    path(
        "przerwy/<int:pk>/odwolaj/", interruptions.interruption_cancel, name="interruption_cancel"
    ),
    path("integracja/klucze/", api_keys.key_list, name="api_keys"),
    path("integracja/klucze/nowy/", api_keys.key_create, name="api_key_create"),
    path("integracja/klucze/<int:pk>/uniewaznij/", api_keys.key_revoke, name="api_key_revoke"),
    path("rejestracje/", registrations.queue, name="registrations"),
    path("rejestracje/<int:pk>/", registrations.detail, name="registration"),
    path("rejestracje/<int:pk>/zatwierdz/", registrations.approve, name="registration_approve"),
    path("rejestracje/<int:pk>/odrzuc/", registrations.reject, name="registration_reject"),
    path("rejestracje/<int:pk>/list/", registrations.letter, name="registration_letter"),
    path(
        "rejestracje/listy-z-dzisiaj/",
        registrations.letters_today,
        name="registration_letters_today",
    ),
    path("uzytkownicy/<int:pk>/logowania/", registrations.login_history, name="login_history"),
    # --- administration (issue 11) ---
    path("ustawienia/", company_settings.settings_page, name="settings"),
    path("ustawienia/historia/", company_settings.settings_history, name="settings_history"),
    path("ustawienia/wnioski/", company_settings.request_types_page, name="request_types"),
    path("ustawienia/regulamin/", terms.terms_page, name="terms"),
    path("ustawienia/regulamin/<int:pk>/pdf/", terms.terms_file, name="terms_file"),
    path("ustawienia/regulamin/akceptacje/", terms.terms_acceptances, name="terms_acceptances"),
    path(
        "ustawienia/regulamin/akceptacje.csv",
        terms.terms_acceptances_csv,
        name="terms_acceptances_csv",
    ),
    path("operatorzy/", operators.operator_list, name="operators"),
    path("operatorzy/nowy/", operators.operator_new, name="operator_new"),
    path("operatorzy/<int:pk>/", operators.operator_detail, name="operator"),
    path("operatorzy/<int:pk>/role/", operators.operator_roles, name="operator_roles"),
    path("operatorzy/<int:pk>/aktywnosc/", operators.operator_active, name="operator_active"),
    path(
        "operatorzy/<int:pk>/uwierzytelnianie/",
        operators.operator_reset_2fa,
        name="operator_reset_2fa",
    ),
    path("operatorzy/<int:pk>/zaproszenie/", operators.operator_invite, name="operator_invite"),
    path(
        "konto/ustaw-haslo/<str:uidb64>/<str:token>/",
        operators.account_setup,
        name="account_setup",
    ),
    path("audyt/", audit.audit_log, name="audit"),
    path("audyt/eksport.csv", audit.audit_csv, name="audit_csv"),
]
