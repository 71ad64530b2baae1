"""The grading engine of the Week 1 kit and its grader tests (public and hidden)."""
