"""Two clicks or two people at the same moment, for the concurrency tests.

The tests that use this commit for real (transaction=True): each call runs in its own thread
with its own database connection, so the database's own locking decides the race — on
PostgreSQL and on SQLite alike.
"""

import threading

from django.db import connection


def race(*calls):
    """Run each call in its own thread, all released at once; returns results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # the race's loser is part of the result
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results
