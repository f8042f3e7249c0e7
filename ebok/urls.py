from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ebok.core import captcha_audio
from ebok.core import metrics as core_metrics
from ebok.core import views as core_views

urlpatterns = [
    path("zdrowie/", core_views.health, name="health"),
    path("metryki/", core_metrics.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("captcha/dzwiek/<str:key>.wav", captcha_audio.captcha_audio, name="captcha_audio_pl"),
    path("captcha/", include("captcha.urls")),
    path("obsluga/", include("ebok.backoffice.urls")),
    path("api/", include("ebok.api.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("ebok.portal.urls")),
]

if settings.EBOK_BENCH:
    # The benchmark's floors (bench/urls.py): never routed in production.
    urlpatterns.insert(0, path("bench/", include("bench.urls")))

# The API answers bad requests (a body too large, too many fields) in JSON, as documented.
handler400 = "ebok.core.errors.bad_request"
