from django.urls import path

from . import views

app_name = "onsite"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("new", views.new, name="new"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/attendee", views.add_attendee, name="attendee"),
    path("<int:pk>/agenda", views.add_agenda_item, name="agenda"),
    path("<int:pk>/decision", views.record_decision, name="decision"),
    path("<int:pk>/hold", views.hold, name="hold"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/act/<slug:action>", views.task_act, name="task_act"),
    path("tasks/<int:pk>/evidence/<int:evidence_id>", views.evidence, name="evidence"),
]
