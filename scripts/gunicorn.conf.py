# gunicorn for the demo and for production behind a proxy.
import os

# The processing log is chained after commit by one thread per worker, off the requests
# (PostgreSQL; audit/sequencer.py), and the officers' e-mail about new signals is sent
# the same way (signals/notifications.py). Read by the settings, which the workers load.
os.environ.setdefault("AUDIT_CHAIN_IN_THREAD", "1")
os.environ.setdefault("NOTICES_IN_THREAD", "1")
workers = 2
threads = 4
worker_class = "gthread"
timeout = 60
# The access log would print URLs; ours hold no personal data, but keep it quiet anyway.
accesslog = None
errorlog = "-"
