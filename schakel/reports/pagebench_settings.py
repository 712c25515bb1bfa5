"""Settings of the page benchmark's server: the app's own, plus the floor view's URL."""

from schakel.settings import *  # noqa: F403

ROOT_URLCONF = "schakel.reports.pagebench_urls"
