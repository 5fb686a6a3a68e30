"""Interactive geographic dashboard of the Nagorno-Karabakh conflict, 1988–2024."""
