# gunicorn for the demo and for production behind a proxy.
import os

# The processing log is chained after commit by one thread per worker, off the requests
# (PostgreSQL; audit/sequencer.py), and the officers' e-mail about new signals is sent
# the same way (signals/notifications.py). Read by the settings, which the workers load.
os.environ.setdefault("AUDIT_CHAIN_IN_THREAD", "1")
os.environ.setdefault("NOTICES_IN_THREAD", "1")
# Processes rather than threads: a process runs Python on one core at a time, and on
# SQLite a thread that holds the one write lock (every signal view logs its read) waits
# there for its neighbours' Python. On 2 cores, 4 workers of 2 threads served the signal
# page to eight officers at once at 133-171 requests/s, against 94-125 for 2 workers of
# 4 threads (SQLite, the same eight request slots, alternating runs). Each worker holds
# about 110 MB; WEB_WORKERS and WEB_THREADS set them for another machine.
workers = int(os.environ.get("WEB_WORKERS") or 2 * (os.cpu_count() or 1))
threads = int(os.environ.get("WEB_THREADS") or 2)
worker_class = "gthread"
timeout = 60
# The access log would print URLs; ours hold no personal data, but keep it quiet anyway.
accesslog = None
errorlog = "-"
