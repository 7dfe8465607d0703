from django.urls import path

from . import views

app_name = "research"
urlpatterns = [
    path("", views.topic_list, name="list"),
    path("new", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit", views.edit, name="edit"),
    path("<int:pk>/status", views.set_status, name="status"),
    path("<int:pk>/visits/new", views.add_visit, name="visit_new"),
    path("<int:pk>/questionnaires/attach", views.attach_questionnaire, name="questionnaire_attach"),
    path("<int:pk>/questionnaires/new", views.new_questionnaire, name="questionnaire_new"),
    path("<int:pk>/findings/new", views.add_finding, name="finding_new"),
    path("<int:pk>/findings/<int:finding_id>/ledger", views.put_on_ledger, name="finding_ledger"),
    path("<int:pk>/report.docx", views.report_docx, name="report"),
]
