"""The preview answers this machine's browser only, in time, and rebuilds once per save of the
book's inputs: never for its own outputs, version control or files the book does not use."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from publish.preview import server as preview_server
from publish.preview.server import Preview, local_host
from support import FIXTURES
from support.manuscripts import FRONT

BODY = "# One\n\nText.\n\n![A red square](figures/red.png)\n"


def _serve(preview: Preview) -> Iterator[int]:
    server = preview.server(port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        preview.stop()
        server.shutdown()
        server.server_close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose manuscript is in its root, beside its .git folder and its outputs."""
    root = tmp_path / "project"
    (root / "figures").mkdir(parents=True)
    (root / ".git" / "objects").mkdir(parents=True)
    Image.new("RGB", (4, 4), "red").save(root / "figures" / "red.png")
    (root / "book.md").write_text(FRONT + BODY, encoding="utf-8")
    return root


@pytest.fixture
def port(project: Path) -> Iterator[int]:
    preview = Preview(project / "book.md", project / "build" / "preview", with_pdf=False)
    assert preview.rebuild(["html"])
    yield from _serve(preview)


def _ask(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
        return reply


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("localhost:{port}", b"200"),
        ("127.0.0.1:{port}", b"200"),
        ("[::1]:{port}", b"200"),
        ("LocalHost:{port}", b"200"),
        ("attacker.example:{port}", b"421"),
        ("attacker.example", b"421"),
        ("127.0.0.1:1", b"421"),
        ("localhost", b"421"),
        ("127.0.0.1.attacker.example:{port}", b"421"),
    ],
)
def test_only_this_machine_s_names_are_answered(port: int, host: str, status: bytes) -> None:
    request = (
        f"GET /book.html HTTP/1.1\r\nHost: {host.format(port=port)}\r\nConnection: close\r\n\r\n"
    )
    reply = _ask(port, request.encode())
    assert reply.split(b" ", 2)[1] == status
    if status != b"200":
        assert b"Text." not in reply and b"book.md" not in reply


@pytest.mark.parametrize("path", ["/__build", "/book.html", "/book_files/html.css", "/"])
def test_a_rebinding_page_reads_nothing(port: int, path: str) -> None:
    reply = _ask(port, f"GET {path} HTTP/1.0\r\nHost: rebound.example:{port}\r\n\r\n".encode())
    assert reply.startswith(b"HTTP/1.0 421")


def test_a_request_without_host_is_refused(port: int) -> None:
    assert _ask(port, b"GET /book.html HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 421")


def test_local_host_names_need_the_port() -> None:
    assert local_host("localhost:8000", 8000) and not local_host("localhost:8001", 8000)
    assert local_host("localhost", 80) and not local_host(None, 8000)


def test_half_sent_requests_are_dropped_and_connections_are_capped(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview_server, "REQUEST_SECONDS", 1.0)
    monkeypatch.setattr(preview_server, "MAX_CONNECTIONS", 2)
    preview = Preview(project / "book.md", project / "out", with_pdf=False)
    assert preview.rebuild(["html"])
    for port in _serve(preview):
        held = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
        for connection in held:
            connection.sendall(b"GET /book.html HTTP/1.1\r\nHost: local")  # and then nothing
        time.sleep(0.3)
        # Both slots are taken: a third connection is closed at once, without an answer.
        assert _ask(port, f"GET / HTTP/1.0\r\nHost: localhost:{port}\r\n\r\n".encode()) == b""
        started = time.monotonic()
        for connection in held:
            assert connection.recv(100) == b""  # dropped by the server, not waited for
        assert time.monotonic() - started < 5
        time.sleep(0.3)
        answered = _ask(port, f"GET /book.html HTTP/1.0\r\nHost: localhost:{port}\r\n\r\n".encode())
        assert answered.startswith(b"HTTP/1.0 200")


def test_a_trickled_request_is_dropped_at_its_deadline(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview_server, "REQUEST_SECONDS", 1.0)
    preview = Preview(project / "book.md", project / "out", with_pdf=False)
    for port in _serve(preview):
        connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        started = time.monotonic()
        with pytest.raises(OSError):
            for byte in b"GET /book.html HTTP/1.1\r\nX-Slow: " + b"a" * 100:
                connection.send(bytes([byte]))
                time.sleep(0.05)
                if time.monotonic() - started > 4:
                    break
            connection.send(b"more")
            assert connection.recv(100) != b""
        assert time.monotonic() - started < 4


class Watched:
    """A preview's watcher running on a project, counting its rebuilds."""

    def __init__(self, manuscript: Path, out_dir: Path, *, with_pdf: bool = False) -> None:
        self.preview = Preview(manuscript, out_dir, with_pdf=with_pdf)
        self.builds: list[tuple[str, ...]] = []
        real = self.preview.rebuild

        def counted(formats: object) -> bool:
            self.builds.append(tuple(formats))  # type: ignore[arg-type]
            return real(formats)  # type: ignore[arg-type]

        self.preview.rebuild = counted  # type: ignore[method-assign]
        self.preview.rebuild(["html"])
        self.builds.clear()
        self.thread = threading.Thread(target=self.preview.watch, daemon=True)
        self.thread.start()
        time.sleep(1.5)  # the watcher has registered its folders (or taken its first look)

    def after(self, change: object = None, *, wait: float = 3.0) -> list[tuple[str, ...]]:
        """The rebuilds ``change()`` caused, once things have settled."""
        self.builds.clear()
        if callable(change):
            change()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(0.1)
        return list(self.builds)

    def stop(self) -> None:
        self.preview.stop()
        self.thread.join(timeout=10)


@pytest.fixture
def watched(project: Path) -> Iterator[Watched]:
    running = Watched(project / "book.md", project / "build" / "preview")
    yield running
    running.stop()


def test_one_save_is_one_rebuild_and_outputs_start_none(watched: Watched, project: Path) -> None:
    manuscript = project / "book.md"
    assert watched.after(lambda: manuscript.write_text(FRONT + BODY + "\nMore.\n", "utf-8")) == [
        ("html",)
    ]
    assert b"More." in (project / "build" / "preview" / "book.html").read_bytes()
    assert watched.after() == []  # its own writes into build/preview started nothing


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / ".git" / "objects" / "ab").write_bytes(b"object"),
        lambda root: (root / "notes.txt").write_text("not part of the book", "utf-8"),
        lambda root: Image.new("RGB", (2, 2)).save(root / "figures" / "unused.png"),
        lambda root: (root / "build" / "preview" / "book.html").write_text("x", "utf-8"),
        lambda root: (root / ".book.md.swp").write_bytes(b"swap"),
    ],
    ids=["git", "other file", "unused image", "an output", "swap file"],
)
def test_what_the_book_does_not_use_starts_no_rebuild(
    watched: Watched, project: Path, change: object
) -> None:
    assert watched.after(lambda: change(project)) == []  # type: ignore[operator]


def test_an_image_the_book_uses_starts_one_rebuild(watched: Watched, project: Path) -> None:
    image = project / "figures" / "red.png"
    assert watched.after(lambda: Image.new("RGB", (4, 4), "blue").save(image)) == [("html",)]


def test_after_a_failed_build_the_missing_file_is_watched(watched: Watched, project: Path) -> None:
    manuscript = project / "book.md"
    broken = FRONT + BODY + "\n![Missing](figures/new.png)\n"
    assert watched.after(lambda: manuscript.write_text(broken, "utf-8")) == [("html",)]
    assert watched.preview.state.error is not None and "new.png" in watched.preview.state.error
    new = project / "figures" / "new.png"
    assert watched.after(lambda: Image.new("RGB", (4, 4), "green").save(new)) == [("html",)]
    assert watched.preview.state.error is None


def test_the_references_file_is_an_input(tmp_path: Path) -> None:
    folder = tmp_path / "cited"
    shutil.copytree(FIXTURES / "cited", folder)
    running = Watched(folder / "cited.md", folder / "out")
    try:
        references = folder / "references.yaml"
        text = references.read_text(encoding="utf-8")
        assert running.after(lambda: references.write_text(text + "\n", "utf-8")) == [("html",)]
    finally:
        running.stop()


def test_the_pdf_follows_once_the_files_settle(project: Path) -> None:
    running = Watched(project / "book.md", project / "build" / "preview", with_pdf=True)
    try:
        manuscript = project / "book.md"
        builds = running.after(
            lambda: manuscript.write_text(FRONT + BODY + "\nMore.\n", "utf-8"), wait=20
        )
        assert builds == [("html",), ("pdf",)]
        assert running.after(wait=3) == []
    finally:
        running.stop()


def test_without_inotify_the_preview_polls_and_says_so(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import watchfiles

    real = watchfiles.watch

    def no_inotify(*paths: object, **options: object) -> Iterator[object]:
        if not options.get("force_polling"):
            raise OSError(24, "inotify instance limit reached")
        yield from real(*paths, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(watchfiles, "watch", no_inotify)
    running = Watched(project / "book.md", project / "build" / "preview")
    try:
        manuscript = project / "book.md"
        saved = running.after(lambda: manuscript.write_text(FRONT + BODY + "\nMore.\n", "utf-8"))
        assert saved == [("html",)]
        assert running.after() == []
    finally:
        running.stop()
    assert "preview: cannot watch files" in capsys.readouterr().err
