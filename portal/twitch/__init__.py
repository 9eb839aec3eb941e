"""Twitch beyond the login: a moderator's verified moderation history, by consent, and the
calls to Twitch that the teams' import uses (portal/teams/twitch_import.py)."""
