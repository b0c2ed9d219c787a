"""The static HTML preview: every page readable in a browser, quizzes shown with their answers."""
