"""The home page: the site's front door, for visitors and for signed-in people.

Why an app of its own: apps stand on floors (core; accounts; digests; guides and board;
forums) and import only from the floors below. The home page greets a signed-in person from
their profile (accounts) and points them at the guides, the board and the forums, so it
cannot live in ``core``, the ground floor, without ``core`` importing upwards (as it did).
Moving it into ``accounts`` would only last until the page shows anything of the apps above
(a reader's next lesson, openings that fit, unread topics); a small app on the top floor can
read from every app below it, and nothing imports from it but the URLs.
"""
