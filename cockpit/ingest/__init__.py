"""Exports in: reading files, preparing their rows against a mapping, writing them to a new store version,
the upload staging behind the 数据导入 page, and the import report."""
