"""Seed the forum categories (one per role track among them) and the Forum moderators group.

Idempotent (update_or_create on the slug), so it also repairs a category renamed by mistake;
staff edit names, descriptions and hold levels in the admin afterwards.
"""

from django.db import migrations

# (slug, name, description, role slug or "", Q&A, staff-only posting)
CATEGORIES = [
    ("introductions", "Introductions", "Say hello: the channels you help and how you got the sword.", "", False, False),
    ("new-moderators-questions", "New moderators' questions", "No question is too small. Ask what the role, the tools or the team expect of you.", "", True, False),
    ("chat-enforcer", "Chat Enforcer", "Rules, warnings, timeouts and bans; the held-message queue; blocked terms; unban requests.", "chat-enforcer", False, False),
    ("community-host", "Community Host", "Greeting newcomers and regulars, setting the tone, welcoming raids.", "community-host", False, False),
    ("helper-bot-operator", "Helper & Bot Operator", "Commands, chat bots, polls, predictions and channel points.", "helper-bot-operator", False, False),
    ("right-hand", "Streamer's Right Hand", "Editor-style duties: titles and categories, raids, clips, briefings with the streamer.", "right-hand", False, False),
    ("lead-moderator", "Lead Moderator", "Running a team: recruiting, trials, the rulebook, the schedule, reviewing actions.", "lead-moderator", False, False),
    ("incident-responder", "Incident Responder", "Hate raids and emergencies: lockdown plans, bulk actions, threats, and looking after yourself after.", "incident-responder", False, False),
    ("event-moderator", "Event Moderator", "Big and shared streams: slow mode, spam waves, handoffs, shared bans, escalation.", "event-moderator", False, False),
    ("tools-and-bots", "Tools & bots", "Mod View, AutoMod settings, bots and the tools that make the work lighter.", "", True, False),
    ("tough-calls", "Tough calls", "Talk through a hard decision, live or afterwards, with moderators from other channels.", "", True, False),
    ("running-a-mod-team", "Running a mod team", "Shared rulebooks, off-stream prep, coverage schedules and team communication.", "", False, False),
    ("wellbeing", "Wellbeing", "Emotional labour, burnout, exposure to hate: support from people who know.", "", False, False),
    ("streamers-and-mods", "Streamers & mods", "Streamers and moderators on working together: trust, briefings, expectations.", "", False, False),
    ("site-feedback", "Site feedback", "What works on Modhall, what does not, and what you would like next.", "", False, False),
    ("announcements", "Announcements", "News from the Modhall team.", "", False, True),
]  # fmt: skip

FORUM_MODERATORS = "Forum moderators"


def seed(apps, schema_editor):
    Category = apps.get_model("forums", "Category")
    Role = apps.get_model("accounts", "Role")
    Group = apps.get_model("auth", "Group")
    roles = {role.slug: role for role in Role.objects.all()}
    for order, (slug, name, description, role, is_qa, staff_only) in enumerate(CATEGORIES, 1):
        Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "order": order * 10,
                "role": roles.get(role),
                "is_qa": is_qa,
                "staff_only_posting": staff_only,
            },
        )
    Group.objects.get_or_create(name=FORUM_MODERATORS)


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0001_initial"),
        ("accounts", "0002_seed_roles_languages_site"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
