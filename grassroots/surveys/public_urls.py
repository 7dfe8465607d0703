from django.urls import path

from . import public_views

app_name = "surveys_public"
urlpatterns = [
    path("<uuid:key>", public_views.answer, name="answer"),
    path("<uuid:key>/done", public_views.thanks, name="thanks"),
]
