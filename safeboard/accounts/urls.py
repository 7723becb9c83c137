from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.verify, name="verify"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("", views.account, name="account"),
    path("two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("password/", views.password_change, name="password-change"),
    path("notifications/", views.notification_email, name="notification-email"),
    path("set-password/<str:uidb64>/<str:token>/", views.set_password, name="set-password"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<id:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
