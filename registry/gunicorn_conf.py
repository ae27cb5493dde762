"""gunicorn's configuration for `make serve` and production: `gunicorn -c
python:registry.gunicorn_conf registry.wsgi`. Every value comes from the environment.

- WEB_WORKERS processes (default: 2 per core, at most 8), each with WEB_THREADS threads
  (default 4) of the gthread worker. A thread, not a whole process, waits on a slow client or
  streams an export, so four slow clients no longer stall a small pool of sync workers; and a
  worker whose threads are busy still answers gunicorn's heartbeat, so a long export is not
  killed at WEB_TIMEOUT. For untrusted networks put a buffering proxy in front (nginx with
  proxy_buffering on, the default, or a cloud load balancer): it holds slow uploads and slow
  downloads, and the workers only ever talk to it.
- SIGTERM drains: gunicorn stops accepting, lets requests in flight finish for up to
  WEB_GRACEFUL_TIMEOUT seconds (default 30), then stops.
- Workers restart after about WEB_MAX_REQUESTS requests (default 2000, with jitter), so that
  memory growth, if any, never accumulates.
- Access log lines are JSON with the request id that the application echoes (X-Request-ID).
"""

import json
import multiprocessing
import os

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get(
    "WEB_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
workers = _int("WEB_WORKERS", min(2 * multiprocessing.cpu_count(), 8))
threads = _int("WEB_THREADS", 4)
worker_class = "gthread"
timeout = _int("WEB_TIMEOUT", 60)
graceful_timeout = _int("WEB_GRACEFUL_TIMEOUT", 30)
keepalive = _int("WEB_KEEPALIVE", 5)
max_requests = _int("WEB_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Addresses of the proxies whose X-Forwarded-* headers gunicorn believes (see also
# TRUSTED_PROXY_COUNT in the settings, for the client address the application logs and limits).
forwarded_allow_ips = os.environ.get("WEB_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Request line and headers within bounds (the application bounds the body).
limit_request_line = 8190
limit_request_fields = 100

accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
logger_class = "registry.gunicorn_conf.JsonAccessLogger"


class JsonAccessLogger(Logger):
    """One JSON object per request, with the request id the application answered with."""

    def access(self, resp, req, environ, request_time):
        if not self.cfg.accesslog:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {
            "time": atoms["t"],
            "logger": "gunicorn.access",
            "request_id": atoms.get("{x-request-id}o", "-"),
            "remote": atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"],
            "status": resp.status_code,
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": atoms["a"],
        }
        self.access_log.info(json.dumps(entry))
