"""The chatbot lab: build, train, test, evaluate and export a public-service consultation bot."""
