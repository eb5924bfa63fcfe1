"""The ASGI application: FastAPI routes over the kit's library, with the rules of
kit/web/security.py around every request.

FastAPI (over Starlette) because the request bodies are the pydantic models the CLI
already validates (kit/order.py) and it serves their OpenAPI description for free.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.staticfiles import StaticFiles

from .. import paths
from ..errors import InputError, KitError, RenderError, UnknownLessonError
from ..messages import say
from ..order import problem
from . import work
from .batches import BatchQueue
from .config import ServerConfig
from .pages import CsrfRefused, Pages
from .security import Guard
from .store import Store

log = logging.getLogger("kit.web")
HTTP_MESSAGES = {404: "web.not_found", 405: "web.method", 409: "web.not_yet"}  # other statuses: web.http_other


class LoginRequired(Exception):
    """Raised when a password is set and the request carries no valid login."""


class Kit:
    """The app's state: configuration, database, rendering pool, caches."""

    def __init__(self, config: ServerConfig):
        self.config = config
        self.store = Store(config.data)
        self.pool: ProcessPoolExecutor | None = None
        self._cache: OrderedDict = OrderedDict()
        self.pages = Pages(self)
        self.batches = BatchQueue(self, config.jobs)

    def start(self) -> None:
        for folder in self.config.library_dirs:
            folder.mkdir(parents=True, exist_ok=True)  # DATA/lecons, where the editor saves
        work.start(*self.config.worker_args())  # this process serves the pages from the same lessons
        spawn = multiprocessing.get_context("spawn")
        self.generation = spawn.Value("i", 0)  # raised when the library changes (kit/web/work.py)
        self.pool = ProcessPoolExecutor(self.config.workers, initializer=work.start_worker,
                                        initargs=(self.generation, *self.config.worker_args()),
                                        mp_context=spawn)

    async def reload(self) -> None:
        """The library read again (a lesson was saved): here, then in each rendering
        process before its next task; nothing cached from before is served."""
        await asyncio.to_thread(work.start, *self.config.worker_args())
        with self.generation.get_lock():
            self.generation.value += 1
        for key in [k for k in self._cache if k[0] != "draft"]:
            del self._cache[key]

    async def warm(self) -> None:
        await asyncio.gather(*[self.run(work.ready) for _ in range(self.config.workers)])

    def stop(self) -> None:
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.store.close()

    @property
    def lessons(self) -> dict:
        return work._state["lessons"]

    def lesson(self, lesson_id: str):
        """The lesson with this id; never a path, so no request names a file."""
        if lesson_id not in self.lessons:
            raise UnknownLessonError(say("web.no_lesson", id=lesson_id))
        return self.lessons[lesson_id]

    async def run(self, function, *args):
        """`function(*args)` in a rendering process, so pages are served meanwhile."""
        return await asyncio.wrap_future(self.pool.submit(work.call, function, *args))

    async def cached(self, key: tuple, function, *args, size: int = 400):
        """Previews and packs are the same for the same request: keep the recent ones."""
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        value = await self.run(function, *args)
        self._cache[key] = value
        while len(self._cache) > size:
            self._cache.popitem(last=False)
        return value

    def logged_in(self, request: Request) -> bool:
        from .security import LOGIN_COOKIE, same
        if self.config.password is None:
            return True
        bearer = request.headers.get("authorization", "")
        if bearer.startswith("Bearer ") and same(bearer[7:], self.config.password):
            return True
        return self.store.logged_in(request.cookies.get(LOGIN_COOKIE))


def create_app(config: ServerConfig) -> FastAPI:
    kit = Kit(config)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        kit.start()
        await kit.warm()
        kit.batches.start()
        try:
            yield
        finally:
            await kit.batches.stop()
            kit.stop()

    app = FastAPI(title="Kit 3018", version="1", lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url="/api/openapi.json",
                  description="Les séances du kit 3018 et leurs documents, en PDF.")
    app.state.kit = kit
    app.mount("/static", StaticFiles(directory=paths.assets() / "web"), name="static")

    @app.middleware("http")
    async def require_login(request: Request, call_next):
        if request.url.path.startswith(("/connexion", "/static/")) or kit.logged_in(request):
            return await call_next(request)
        if request.url.path.startswith("/api/"):
            return error_json(401, say("web.log_in"))
        return RedirectResponse("/connexion", status_code=303)

    # Added last, run first: the body cap and the headers wrap everything, then the Host check.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=config.host_names())
    app.add_middleware(Guard)

    _errors(app, kit)
    from . import api as api_routes
    from . import editor, lots
    from . import results as results_routes
    from . import pages as page_routes
    app.include_router(api_routes.router)
    app.include_router(lots.api)
    app.include_router(page_routes.router)
    app.include_router(lots.pages)
    app.include_router(editor.router)
    app.include_router(results_routes.router)
    return app


def error_json(status: int, message: str, field: str | None = None, line: int | None = None,
               **more) -> JSONResponse:
    return JSONResponse({"error": message, "field": field, "line": line, **more}, status_code=status)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _errors(app: FastAPI, kit: Kit) -> None:
    """Every error as JSON {error, field, line} on the API, a French page elsewhere;
    never a traceback."""

    @app.exception_handler(UnknownLessonError)
    async def unknown_lesson(request: Request, error: UnknownLessonError):
        ids = sorted(kit.lessons)
        if _is_api(request):
            return error_json(404, error.format_message(), "lesson", lessons=ids)
        return kit.pages.error(request, 404, say("web.see_catalogue", message=error.format_message()))

    @app.exception_handler(KitError)
    async def kit_error(request: Request, error: KitError):
        field = getattr(error, "field", None) or ("document" if isinstance(error, RenderError)
                                                  else None)
        status = 422 if isinstance(error, (InputError, RenderError)) else 400
        if _is_api(request):
            return error_json(status, error.format_message(), field, getattr(error, "line", None))
        return kit.pages.error(request, status, error.format_message())

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError):
        item = error.errors()[0]
        first = problem(item)
        return error_json(422, first.format_message(), first.field, _line(item, error.body))

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, error: CsrfRefused):
        return kit.pages.error(request, 403, say("web.form_expired"))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        message = say(HTTP_MESSAGES.get(error.status_code, "web.http_other"), status=error.status_code)
        if _is_api(request):
            return error_json(error.status_code, message)
        return kit.pages.error(request, error.status_code, message)

    @app.exception_handler(Exception)
    async def bug(request: Request, error: Exception):
        log.error("erreur interne sur %s", request.url.path, exc_info=error)
        message = say("web.internal")
        if _is_api(request):
            return error_json(500, message)
        return Response(f"<!doctype html><html lang=fr><title>Erreur</title><h1>{message}</h1>",
                        status_code=500, media_type="text/html")


def _line(item: dict, body) -> int | None:
    """The line of a JSON syntax error, counted in the body as sent."""
    if item["type"] != "json_invalid" or not isinstance(item["loc"][-1], int):
        return None
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    return body[:item["loc"][-1]].count("\n") + 1 if isinstance(body, str) else None
