"""The cockpit's benchmark: `python -m bench --scales 100000,1000000` (see docs/PERFORMANCE.md).

Not part of the tests: it prints one table and writes it to docs/PERFORMANCE.md. Each measurement that
holds a large store in memory runs in its own process (`python -m bench.<part>`), which prints JSON.
"""
