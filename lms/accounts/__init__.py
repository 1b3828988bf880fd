"""Accounts: organisation units, users and roles, sign-in, invitations, and user administration."""
