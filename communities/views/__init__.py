"""Pages of the base layer: communities, memberships, a person's own pages, the staff's pages."""
