"""Writes of the base layer (rule 1): accounts, communities, memberships, invitations, the
organisation. Import from the module: ``communities.services.memberships.membership_join``."""
