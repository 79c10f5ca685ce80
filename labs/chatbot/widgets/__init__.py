"""Qt widgets of the chatbot lab panel: the builder, the test chat, the evaluation view."""
