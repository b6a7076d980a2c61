"""Everything that imports streamlit: cached data and last-good figures, widgets, the wall, logins,
the warm-up after an import, the server and its tile endpoint."""
