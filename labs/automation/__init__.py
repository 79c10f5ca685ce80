"""The automation lab: decision tables, request routing, letters from templates, hours saved."""
