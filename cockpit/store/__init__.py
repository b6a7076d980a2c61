"""The store: the only code that imports duckdb. Named SQL files run with bound parameters, the
readers (district views, history folds), the versioned store folder, and scratch tables for the importer."""
