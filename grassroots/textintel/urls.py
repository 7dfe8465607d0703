from django.urls import path

from . import views

app_name = "textintel"
urlpatterns = [
    path("hotspots", views.hotspots, name="hotspots"),
    path("assist/quality", views.quality, name="quality"),
    path("assist/intake", views.intake_assist, name="intake_assist"),
    path("<int:pk>/assist", views.appeal_assist, name="appeal_assist"),
    path("<int:pk>/reply-hints", views.reply_hints, name="reply_hints"),
]
