from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView

from grassroots.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
    path("accounts/", include("grassroots.accounts.urls")),
    path("work/", include("grassroots.appeals.urls")),
    path("work/", include("grassroots.textintel.urls")),
    path("ledger/", include("grassroots.ledger.urls")),
    path("surveys/", include("grassroots.surveys.urls")),
    path("activities/", include("grassroots.activities.urls")),
    path("research/", include("grassroots.research.urls")),
    path("onsite/", include("grassroots.onsite.urls")),
    path("commitments/", include("grassroots.commitments.urls")),
    path("accountability/", include("grassroots.accountability.urls")),
    path("p/s/", include("grassroots.surveys.public_urls")),
    path("reception/", include("grassroots.reception.urls")),
    path("p/reception/", include("grassroots.reception.public_urls")),
    path("manage/", include("grassroots.administration.urls")),
    path("audit/", include("grassroots.audit.urls")),
    path("p/commitments/", include("grassroots.commitments.public_urls")),
    path("p/", include("grassroots.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
