"""Cloud Solidaire's background jobs: the task functions, their periodic schedule, and the
processes that run them.

The web app enqueues a task by its dotted name (`webapp/tasks.py`) and never imports this
package; the tasks here import the web app and run inside its app context. See docs/jobs.md.
"""


class WrongMode(RuntimeError):
    """A command of the other mode: Redis's (worker, scheduler) or the embedded default's (run-due)."""
