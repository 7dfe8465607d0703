"""Sign-in and sign-out for staff; Django's auth views with a Chinese page."""

from django.contrib.auth import views as auth_views

login = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    redirect_authenticated_user=True,
)
# POST only (Django's LogoutView refuses GET), so a link or an image cannot sign anyone out.
logout = auth_views.LogoutView.as_view()
