"""``publish preview``: build once, serve the HTML edition and the PDF, rebuild on every save.

One process keeps every library loaded, so a rebuild of the HTML edition costs only the reading
and writing of the book. The HTML edition is rebuilt first and the page reloads at once; the PDF
follows when the sources have stopped changing. A failed build leaves the last good files in
place (every write is atomic): the page keeps showing them, with the error over them.

The reload script is added to pages as they are served, never written to the files: the
editions in the preview folder are the same bytes a real build makes.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from publish.build import build
from publish.errors import DiagnosticCollector, PublishError, visible
from publish.model import Book, slug_for
from publish.preview import watching
from publish.progress import Progress
from publish.styles import default_styles_dir

STATUS_PATH = "/__build"


@dataclass
class BuildState:
    """What the browser asks for: which build it shows, and the last error if the build failed."""

    html: int = 0
    pdf: int = 0
    building: bool = False
    error: str | None = None
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps(
                {
                    "html": self.html,
                    "pdf": self.pdf,
                    "building": self.building,
                    "error": self.error,
                    "seconds": round(self.seconds, 3),
                }
            ).encode()


class Preview:
    def __init__(
        self,
        manuscript: Path,
        out_dir: Path,
        *,
        styles_dir: Path | None = None,
        with_pdf: bool = True,
        progress: Progress | None = None,
    ) -> None:
        self.manuscript = Path(manuscript)
        self.out_dir = Path(out_dir)
        self.styles_dir = styles_dir or default_styles_dir(self.manuscript)
        self.with_pdf = with_pdf
        self.progress = progress or Progress.silent()
        self.state = BuildState()
        self.stopping = threading.Event()
        self.inputs = watching.Inputs()

    # ---------------------------------------------------------------- building

    @property
    def slug_html(self) -> str:
        return f"{slug_for(self.manuscript)}.html"

    @property
    def pdf_name(self) -> str:
        return f"{slug_for(self.manuscript)}.pdf"

    def rebuild(self, formats: Iterable[str]) -> bool:
        """Build ``formats``; on failure keep the last good files and record the error."""
        wanted = tuple(formats)
        with self.state.lock:
            self.state.building = True
        started = time.perf_counter()
        report = DiagnosticCollector()
        self.inputs = self.inputs.unknown()  # until this build has read the book
        try:
            build(
                self.manuscript,
                self.out_dir,
                wanted,
                styles_dir=self.styles_dir,
                report=report,
                progress=self.progress,
                on_read=self._learn_inputs,
            )
        except PublishError as exc:
            self._failed("\n".join(str(d) for d in exc.diagnostics))
            return False
        except Exception:  # a bug must not stop the preview: show it, keep the last edition
            self._failed(traceback.format_exc(limit=-3))
            return False
        finally:
            for warning in report.warnings:
                print(warning, file=sys.stderr)
        with self.state.lock:
            self.state.building = False
            self.state.error = None
            self.state.seconds = time.perf_counter() - started
            if "html" in wanted:
                self.state.html += 1
            if "pdf" in wanted:
                self.state.pdf += 1
        return True

    def _failed(self, message: str) -> None:
        shown = "\n".join(visible(line) for line in message.split("\n"))
        print(
            f"preview: the build failed; still showing the last good edition\n{shown}",
            file=sys.stderr,
        )
        with self.state.lock:
            self.state.building = False
            self.state.error = message

    # ---------------------------------------------------------------- watching

    def _learn_inputs(self, book: Book) -> None:
        self.inputs = watching.book_inputs(book, self.styles_dir)

    def counts(self, changed: Iterable[Path]) -> bool:
        """Whether any of the ``changed`` paths is one the book is made of (see ``watching``)."""
        manuscript = self.manuscript.resolve()
        out_dir = self.out_dir.resolve()
        return any(self.inputs.counts(path, manuscript, out_dir) for path in changed)

    def watch(self) -> None:
        """Rebuild when an input changes: HTML at once, the PDF once things settle."""
        folders = watching.folders_to_watch(self.manuscript.resolve(), self.styles_dir)
        pdf_pending = False
        for changed in watching.changes(folders, self.stopping):
            if changed and self.counts(changed):
                # The PDF waits for a good HTML build: the same error need not be told twice.
                pdf_pending = self.rebuild(["html"]) and self.with_pdf
            elif not changed and pdf_pending:
                pdf_pending = False
                self.rebuild(["pdf"])

    def start(self) -> threading.Thread:
        self.rebuild(["html", "pdf"] if self.with_pdf else ["html"])
        watcher = threading.Thread(target=self.watch, name="preview-watch", daemon=True)
        watcher.start()
        return watcher

    def stop(self) -> None:
        self.stopping.set()

    # ---------------------------------------------------------------- serving

    def server(self, port: int = 8000, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
        preview = self

        class Handler(_GuardedHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(preview.out_dir), **kwargs)

            def do_GET(self) -> None:
                path = unquote(urlsplit(self.path).path)
                if path == STATUS_PATH:
                    self._send(200, "application/json", preview.state.as_json())
                elif path == "/":
                    self.send_response(302)
                    self.send_header("Location", f"/{preview.slug_html}")
                    self.end_headers()
                elif path.endswith(".html") and self._served_file(path).is_file():
                    page = self._served_file(path).read_bytes()
                    self._send(
                        200, "text/html; charset=utf-8", with_reload_script(page, preview.pdf_name)
                    )
                elif path == f"/{preview.slug_html}":
                    # No good build yet: a page that shows the error and reloads once it is fixed.
                    self._send(
                        503,
                        "text/html; charset=utf-8",
                        with_reload_script(WAITING_PAGE, preview.pdf_name),
                    )
                else:
                    super().do_GET()

            def end_headers(self) -> None:
                # Every request must see the newest build, never a cached copy.
                self.send_header("Cache-Control", "no-store")
                super().end_headers()

            def _served_file(self, path: str) -> Path:
                return Path(self.translate_path(path))

            def _send(self, status: int, media_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the terminal is for build results, not for every poll

        return _BoundedServer((host, port), Handler)


# A request must arrive whole within this time, and each read within the socket's timeout: a
# client that sends half a request (or one byte at a time) is dropped, not waited for.
REQUEST_SECONDS = 10.0
SOCKET_TIMEOUT = 5.0
# Connections served at once; those beyond are closed at once rather than each given a thread.
MAX_CONNECTIONS = 32
# The names this machine's browser uses for the preview. Any other Host header comes from a page
# elsewhere whose name was pointed at 127.0.0.1 (DNS rebinding): it must not read the draft.
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")


def local_host(header: str | None, port: int) -> bool:
    """Whether a ``Host`` header names this machine, with the preview's port."""
    if not header:
        return False
    value = header.strip().lower()
    return any(value == f"{name}:{port}" or (port == 80 and value == name) for name in LOCAL_NAMES)


class _GuardedHandler(http.server.SimpleHTTPRequestHandler):
    """Answers only requests addressed to this machine, that arrive whole and in time."""

    timeout = SOCKET_TIMEOUT

    def setup(self) -> None:
        super().setup()
        self._deadline = threading.Timer(REQUEST_SECONDS, self._give_up)
        self._deadline.daemon = True
        self._deadline.start()

    def _give_up(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def parse_request(self) -> bool:
        self._deadline.cancel()
        if not super().parse_request():
            return False
        port = int(getattr(self.server, "server_port", 0))
        if not local_host(self.headers.get("Host"), port):
            self.send_error(421, "Misdirected Request: the preview answers localhost only")
            return False
        return True

    def finish(self) -> None:
        self._deadline.cancel()
        super().finish()


class _BoundedServer(http.server.ThreadingHTTPServer):
    """At most ``MAX_CONNECTIONS`` requests served at once, each in its own daemon thread."""

    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def with_reload_script(page: bytes, pdf_name: str) -> bytes:
    """The page with the preview's status bar and reload script before ``</body>``."""
    marker = b"</body>"
    at = page.rfind(marker)
    script = RELOAD_SCRIPT.replace("__PDF__", f"/{quote(pdf_name)}").encode()
    return page + script if at < 0 else page[:at] + script + page[at:]


WAITING_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>publish preview</title></head>
<body><p>No edition has been built yet.</p></body></html>
"""

# Polls the status endpoint; reloads when a new HTML build exists; shows a build error over the
# last good edition until the next build succeeds. Kept small and dependency-free on purpose.
RELOAD_SCRIPT = """
<div id="publish-preview" role="status" style="position:fixed;right:.75rem;bottom:.75rem;
z-index:2147483647;font:14px/1.4 system-ui,sans-serif;display:flex;flex-direction:column;
align-items:flex-end;gap:.4rem;max-width:min(44rem,calc(100vw - 1.5rem))">
<pre id="publish-preview-error" role="alert" hidden style="white-space:pre-wrap;background:#fff1f1;
color:#7a0000;border:2px solid #b00;border-radius:6px;padding:.8rem;margin:0;max-height:50vh;
overflow:auto;box-shadow:0 2px 10px rgb(0 0 0 / 30%)"></pre>
<div id="publish-preview-bar" style="background:#222;color:#fff;padding:.35rem .7rem;
border-radius:6px;display:flex;gap:.8rem;align-items:center">
<span id="publish-preview-state">preview</span>
<a href="__PDF__" style="color:#9cf">PDF</a></div></div>
<script>
(function () {
  var shown = null;
  var state = document.getElementById('publish-preview-state');
  var error = document.getElementById('publish-preview-error');
  function poll() {
    fetch('/__build', {cache: 'no-store'}).then(function (r) { return r.json(); })
      .then(function (s) {
        if (shown === null) shown = s.html;
        if (s.html !== shown) { location.reload(); return; }
        state.textContent = s.building ? 'building…' : s.error ? 'build failed'
          : 'preview · built in ' + s.seconds.toFixed(2) + ' s';
        error.hidden = !s.error;
        error.textContent = s.error || '';
        setTimeout(poll, 400);
      })
      .catch(function () { state.textContent = 'preview stopped'; setTimeout(poll, 2000); });
  }
  poll();
})();
</script>
"""
