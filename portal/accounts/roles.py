"""The roles moderators play in a channel (DOMAIN.md's taxonomy).

The same slugs name the guide tracks (guides/README.md), the roles on a profile and the roles
an opening seeks, so a person's roles, their guides and the openings that fit all line up.
"""

ROLES: list[tuple[str, str, str]] = [
    (
        "chat-enforcer",
        "Chat Enforcer",
        "Applies the channel's rules (warn, timeout, ban), works the held-message queue, "
        "keeps blocked terms and handles unban requests.",
    ),
    (
        "community-host",
        "Community Host",
        "Greets newcomers and regulars, sets the tone, steers conversation and welcomes raids.",
    ),
    (
        "helper-bot-operator",
        "Helper & Bot Operator",
        "Answers questions, runs commands and chat bots, polls and predictions, channel points.",
    ),
    (
        "right-hand",
        "Streamer's Right Hand",
        "Editor-style duties: stream title and category, raids, clips, briefings with the "
        "streamer.",
    ),
    (
        "lead-moderator",
        "Lead Moderator",
        "Runs the team: recruiting, trials, the rulebook, the coverage schedule, reviewing "
        "actions, burnout.",
    ),
    (
        "incident-responder",
        "Incident Responder",
        "Hate raids and emergencies: lockdown presets, bulk actions, doxxing and threats, "
        "self-care after.",
    ),
    (
        "event-moderator",
        "Event Moderator",
        "Big or shared streams: slow mode, spam waves, handoffs between slots, shared bans, "
        "escalation.",
    ),
]

ROLE_SLUGS = [slug for slug, _, _ in ROLES]

# Languages offered on profiles, channels and openings (ISO 639-1 code, English name).
LANGUAGES: list[tuple[str, str]] = [
    ("en", "English"), ("es", "Spanish"), ("pt", "Portuguese"), ("de", "German"),
    ("fr", "French"), ("it", "Italian"), ("nl", "Dutch"), ("pl", "Polish"),
    ("ru", "Russian"), ("uk", "Ukrainian"), ("tr", "Turkish"), ("ar", "Arabic"),
    ("hi", "Hindi"), ("ja", "Japanese"), ("ko", "Korean"), ("zh", "Chinese"),
    ("th", "Thai"), ("vi", "Vietnamese"), ("id", "Indonesian"), ("sv", "Swedish"),
    ("no", "Norwegian"), ("da", "Danish"), ("fi", "Finnish"), ("cs", "Czech"),
    ("hu", "Hungarian"), ("ro", "Romanian"), ("el", "Greek"), ("he", "Hebrew"),
    ("tl", "Tagalog"), ("asl", "American Sign Language"),
]  # fmt: skip
