"""The demo city 示范市 (python -m cockpit demo): its world, its events, and the platforms' export files."""
