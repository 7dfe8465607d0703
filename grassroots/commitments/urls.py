from django.urls import path

from . import views

app_name = "commitments"
urlpatterns = [
    path("", views.commitment_list, name="list"),
    path("new", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit", views.edit, name="edit"),
    path("<int:pk>/publish", views.publish, name="publish"),
    path("<int:pk>/update", views.post_update, name="update"),
]
