"""Readers that turn outside material (tables, bulletins, policy text) into domain objects."""
