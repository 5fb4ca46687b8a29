"""Typed models: the document as read, the records extracted from it, and the SQL schema."""
