"""The app's screens: runs (main view, comparison, race) and the modal dialogs."""
