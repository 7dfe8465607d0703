from django.urls import path

from . import public_views

app_name = "commitments_public"
urlpatterns = [
    path("", public_views.board, name="board"),
    path("place/<int:place_id>/", public_views.board, name="place"),
    path("<int:pk>/", public_views.detail, name="detail"),
    path("<int:pk>/images/<int:image_id>", public_views.image, name="image"),
    path("unfollow", public_views.unfollow, name="unfollow"),
]
