"""The web pages: server-rendered HTML (Jinja2, autoescaped), a little local JavaScript, no CDN."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")


def error_page(request: Request, status: int, message: str) -> Response:
    """An HTML error page: the status and a message, no stack trace."""
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    stats = request.app.state.stores.reader().stats()
    return templates.TemplateResponse(request, "home.html", {"stats": stats})
