"""Review: the one place staff and forum moderators find their tools, and the header's
"Review (n)" entry that leads there with a count of what waits for them.

It reads from every app that has a tool (forums, board, guides, core), so it stands on the top
floor beside ``home`` and ``search``; the tools themselves stay in their apps."""
