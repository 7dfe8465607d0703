from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit", views.edit, name="edit"),
    path("<int:pk>/files", views.attach, name="attach"),
    path("<int:pk>/files/<int:file_id>", views.download, name="file"),
    path("<int:pk>/questions", views.add_question, name="question"),
    path("<int:pk>/concerns", views.add_concern, name="concern"),
    path(
        "<int:pk>/concerns/<int:concern_id>/to-appeal", views.convert, {"target": "appeal"}, name="to_appeal"
    ),
    path(
        "<int:pk>/concerns/<int:concern_id>/to-problem",
        views.convert,
        {"target": "problem"},
        name="to_problem",
    ),
    path("reception/<int:day_id>", views.record_reception_day, name="record_reception_day"),
]
