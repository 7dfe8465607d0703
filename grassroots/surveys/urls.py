from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.questionnaire_list, name="list"),
    path("new", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit", views.edit, name="edit"),
    path("<int:pk>/questions/new", views.question, name="question_add"),
    path("<int:pk>/questions/<int:question_id>", views.question, name="question_edit"),
    path("<int:pk>/questions/<int:question_id>/delete", views.question_delete, name="question_delete"),
    path("<int:pk>/questions/<int:question_id>/move", views.question_move, name="question_move"),
    path("<int:pk>/status", views.set_status, name="status"),
    path("<int:pk>/print", views.printable, name="print"),
    path("<int:pk>/paper", views.paper, name="paper"),
    path("<int:pk>/results", views.results_page, name="results"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
]
