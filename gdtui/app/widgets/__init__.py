"""Reusable panes: each redraws from the frame its run screen binds to it."""
