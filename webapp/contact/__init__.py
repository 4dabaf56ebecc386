"""The contact form (R18): questions and malfunction reports to the platform's administrators."""
