"""The team space's pages, one module per part (team.py: the team's home, leaving, removing)."""
