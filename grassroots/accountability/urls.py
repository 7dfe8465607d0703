from django.urls import path

from . import views

app_name = "accountability"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.xlsx", views.export, name="export"),
    path("absent", views.absent, name="absent"),
    path("officials/<int:user_id>/", views.official, name="official"),
]
