"""The pages in words: labels, rules as the pages state them, filter structs, the 口径说明 text."""
