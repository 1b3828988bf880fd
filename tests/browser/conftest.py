"""Browser fixtures: the app served on a real port with the demo data, and Debian's Chromium
driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from lms import create_app
from lms.curriculum.importer import import_curriculum
from lms.curriculum.loader import load
from lms.demo import load_demo
from lms.extensions import db
from lms.training.demo import load_training_demo
from tests.conftest import config_for
from tests.support import require

CHROMIUM = os.environ.get("LMS_TEST_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"

# Flags for a closed network: without them Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The application with the demo data and the real curriculum, on its own SQLite file."""
    database = tmp_path_factory.mktemp("browser") / "tangga.db"
    app = create_app(
        config_for(
            f"sqlite:///{database}",
            LOGIN_RATE_LIMIT="1000 per minute",
            ACCOUNT_RATE_LIMIT="1000 per minute",
            MAIL_SENDER="",
            LOG_LEVEL="ERROR",
        )
    )
    with app.app_context():
        upgrade()
        load_demo()
        curriculum, problems = load(Path(app.config["COURSES_DIR"]))
        assert problems == []
        import_curriculum(curriculum)
        db.session.commit()
        assert load_training_demo()
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The application served by a real HTTP server in a thread."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).exists() else None)
    require(
        executable is not None,
        "Chromium",
        f"{CHROMIUM} not found: install Debian's chromium package (make test does) "
        "or set LMS_TEST_CHROMIUM",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, chromium_sandbox=False, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(params=["phone", "desktop"])
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return PHONE if request.param == "phone" else DESKTOP


@pytest.fixture
def page(browser, live_server, viewport):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_server, viewport=viewport, locale="en-GB", reduced_motion="reduce"
    )
    tab = context.new_page()
    tab.viewport_name = "phone" if viewport == PHONE else "desktop"
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def no_js_page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    tab = context.new_page()
    tab.viewport_name = "phone-nojs"
    try:
        yield tab
    finally:
        context.close()
