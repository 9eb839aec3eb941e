from django.apps import AppConfig


class TwitchConfig(AppConfig):
    name = "portal.twitch"
    # allauth's Twitch provider already holds the label "twitch".
    label = "twitch_api"
    verbose_name = "Twitch"

    def ready(self) -> None:
        # allauth's Twitch login has Twitch's addresses written into its adapter class. They
        # are read from settings instead (TWITCH_AUTH_URL, TWITCH_API_URL), at each login, so
        # the tests' stand-in Twitch can answer; by default they are Twitch's own, the same
        # three addresses allauth has (tests/twitch/test_login.py checks both).
        from allauth.socialaccount.providers.twitch.views import TwitchOAuth2Adapter

        from portal.twitch.client import api_url, auth_url

        TwitchOAuth2Adapter.access_token_url = property(lambda self: auth_url("oauth2/token"))
        TwitchOAuth2Adapter.authorize_url = property(lambda self: auth_url("oauth2/authorize"))
        TwitchOAuth2Adapter.profile_url = property(lambda self: api_url("users"))
