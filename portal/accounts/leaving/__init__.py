"""Leaving Modhall: taking one's data away (exports.py) and deleting one's account
(deletion.py), both walking the registry of personal data (portal/core/personal_data.py)."""
