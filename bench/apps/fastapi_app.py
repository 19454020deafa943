"""The benchmark app for FastAPI (see flask_app.py for the endpoints).

`async def` endpoints (FastAPI runs plain `def` ones in a thread pool, which is slower for views
that never block). Served by `uvicorn fastapi_app:app --loop uvloop --http httptools
--no-access-log`, one process.
"""

from __future__ import annotations

import os
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.templating import Jinja2Templates

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
templates = Jinja2Templates(
    directory=os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
)

ROWS = [{"id": i, "name": f"Item {i} <&>", "price": f"{i * 1.25:.2f}"} for i in range(100)]


@app.get("/", response_class=PlainTextResponse)
async def hello() -> str:
    return "Hello, World!"


@app.get("/json")
async def hello_json() -> dict[str, str]:
    return {"message": "Hello, World!"}


@app.get("/user/{user_id}")
async def user(user_id: int, q: str | None = None) -> dict[str, Any]:
    return {"id": user_id, "q": q}


@app.post("/echo")
async def echo(request: Request) -> JSONResponse:
    return JSONResponse(await request.json())


@app.get("/page", response_class=HTMLResponse)
async def page(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "page.html", {"title": "BustAPI bench", "rows": ROWS}
    )
