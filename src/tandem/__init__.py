"""Tandem: one commerce platform for B2B and B2C sales."""
