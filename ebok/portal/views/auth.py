from django.contrib.auth import views as auth_views
from django.views.decorators.http import require_POST

from ebok.portal.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login_view = LoginView.as_view()
logout_view = require_POST(auth_views.LogoutView.as_view())
