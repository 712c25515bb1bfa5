# gunicorn for the demo and for production behind a proxy.
workers = 2
threads = 4
worker_class = "gthread"
timeout = 60
# The access log would print URLs; ours hold no personal data, but keep it quiet anyway.
accesslog = None
errorlog = "-"
