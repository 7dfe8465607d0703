from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("submit", views.submit, name="submit"),
    path("submitted/<str:code>", views.submitted, name="submitted"),
    path("track", views.track, name="track"),
    path("track/<str:code>", views.track_detail, name="track_detail"),
    path("track/<str:code>/rate", views.rate, name="rate"),
    path("track/<str:code>/review", views.review, name="review"),
]
