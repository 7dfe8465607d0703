from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.problem_list, name="list"),
    path("new", views.new, name="new"),
    path("export.xlsx", views.export, name="export"),
    path("import", views.import_view, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit", views.edit, name="edit"),
    path("<int:pk>/act/<slug:action>", views.act, name="act"),
    path("<int:pk>/evidence/<int:evidence_id>", views.evidence, name="evidence"),
]
