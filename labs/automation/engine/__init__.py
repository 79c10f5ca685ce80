"""The automation lab's engine, with no Qt."""
