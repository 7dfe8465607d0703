from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new", views.new, name="new"),
    path("supervisions", views.supervisions, name="supervisions"),
    path("supervisions/<int:pk>/ack", views.acknowledge, name="acknowledge"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reveal", views.reveal, name="reveal"),
    path("<int:pk>/act/<slug:action>", views.act, name="act"),
    path("<int:pk>/requests/<int:request_id>", views.reassess_request, name="reassess_request"),
    path("<int:pk>/attachments/<int:attachment_id>", views.attachment, name="attachment"),
]
