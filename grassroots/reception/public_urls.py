from django.urls import path

from . import public_views

app_name = "reception_public"
urlpatterns = [
    path("", public_views.day_list, name="list"),
    path("<int:day_id>/", public_views.day_detail, name="day"),
    path("cancel", public_views.cancel, name="cancel"),
]
