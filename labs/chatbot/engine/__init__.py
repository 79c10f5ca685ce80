"""The chatbot lab's engine, with no Qt: the text classifier, evaluation, the bot model and file."""
