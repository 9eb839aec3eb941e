"""One search for the whole portal: the header's search box (guides, forum posts, open
openings and, for signed-in members, the moderator directory), results grouped by kind with a
tab per kind. On the top floor, like home: it reads from every app below and nothing imports
it. Each kind's tab is that app's own search page."""
