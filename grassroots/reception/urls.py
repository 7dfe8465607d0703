from django.urls import path

from . import views

app_name = "reception"
urlpatterns = [
    path("", views.day_list, name="list"),
    path("new", views.day_edit, name="new"),
    path("<int:day_id>/", views.day_detail, name="day"),
    path("<int:day_id>/edit", views.day_edit, name="edit"),
    path("<int:day_id>/publish", views.day_publish, name="publish"),
    path("<int:day_id>/appeal", views.register_appeal, name="register_appeal"),
    path("<int:day_id>/booking/<int:booking_id>/attendance", views.mark_attendance, name="attendance"),
    path("leader/", views.leader_page, name="leader_me"),
    path("leader/<int:user_id>/", views.leader_page, name="leader"),
    path("own/<int:appeal_id>", views.take_ownership, name="own"),
    path("own/<int:appeal_id>/release", views.release_ownership, name="release"),
]
