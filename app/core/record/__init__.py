"""The learning record: immutable xAPI-shaped statements, and what is derived from them."""
