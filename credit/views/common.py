"""What the credit pages share: the access check of the pages for the bureau and the
association."""

from __future__ import annotations

from portal.web import visible_to

from .. import selectors

# Signed in, and the bureau or the association (others get 404: the pages do not exist for them).
readers_only = visible_to(selectors.can_read_ratings)
