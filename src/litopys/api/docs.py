"""The OpenAPI UI at ``/api/docs``: Swagger UI from the ``swagger-ui-bundle`` package, served by this
server (no CDN: it works offline), started by a static script (the Content-Security-Policy allows no
inline script)."""

from __future__ import annotations

import html
from pathlib import Path

import swagger_ui_bundle
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from litopys.api.params import not_found

#: Swagger UI's files, as the package ships them
SWAGGER_UI = Path(swagger_ui_bundle.swagger_ui_path)
#: the only files served from it, by name (a fixed list: no path from the request reaches the disk)
ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "favicon-32x32.png": "image/png",
    "favicon-16x16.png": "image/png",
}
#: the script that starts the UI
INIT_SCRIPT = Path(__file__).resolve().parent / "static" / "docs.js"

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>litopys API</title>
<link rel="stylesheet" href="{root}/api/docs/static/swagger-ui.css">
<link rel="icon" type="image/png" href="{root}/api/docs/static/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{root}/api/openapi.json"></div>
<script src="{root}/api/docs/static/swagger-ui-bundle.js"></script>
<script src="{root}/api/docs/init.js"></script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> Response:
    root = html.escape(str(request.scope.get("root_path") or "").rstrip("/"), quote=True)
    return HTMLResponse(PAGE.format(root=root))


@router.get("/docs/init.js")
def docs_script() -> Response:
    return FileResponse(INIT_SCRIPT, media_type="text/javascript")


@router.get("/docs/static/{name}")
def docs_asset(name: str) -> Response:
    if name not in ASSETS:
        raise not_found(f"no file {name!r}")
    return FileResponse(SWAGGER_UI / name, media_type=ASSETS[name])
