# Temporary: used until the reception urls are included in grassroots/urls.py.
from django.urls import include, path

urlpatterns = [
    path("reception/", include("grassroots.reception.urls")),
    path("p/reception/", include("grassroots.reception.public_urls")),
    path("", include("grassroots.urls")),
]
