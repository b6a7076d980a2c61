"""创城驾驶舱: import a civilized-city campaign's exports into DuckDB and show them in Streamlit."""
