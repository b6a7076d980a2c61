"""Files handed to people: download workbooks and CSVs, the weekly bulletin."""
