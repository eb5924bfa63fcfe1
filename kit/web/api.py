"""The JSON API: the lessons, one document, a whole session. The pages use the
same calls; a district can script them (`Authorization: Bearer` when a password is set).
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ..documents import document_name
from ..order import PackOrder, RenderOrder
from . import views, work
from .pages import PDF, ZIP, _download, record_pack

router = APIRouter(prefix="/api", tags=["kit"])
ERROR = {"description": "{error, field, line} : ce qui ne va pas, et où",
         "content": {"application/json": {"example": {"error": "nombre d'élèves : à remplir",
                                                      "field": "pupils", "line": None}}}}


def _kit(request: Request):
    return request.app.state.kit


@router.get("/lessons", summary="Les séances")
def lessons(request: Request) -> list[dict]:
    kit = _kit(request)
    return [{k: v for k, v in view.items() if k not in ("words", "plan", "documents")}
            | {"documents": [d["name"] for d in view["documents"]], "url": f"/seances/{view['id']}"}
            for view in views.catalogue(kit.lessons.values())]


@router.get("/lessons/{lesson_id}", summary="Une séance, après extends",
            responses={404: ERROR})
def lesson(request: Request, lesson_id: str) -> dict:
    found = _kit(request).lesson(lesson_id)
    return found.model_dump(mode="json") | {"offered_documents": list(found.offered_documents)}


@router.post("/render", summary="Un document en PDF", response_class=Response,
             responses={200: {"content": {PDF: {}}}, 404: ERROR, 422: ERROR})
async def render(request: Request, order: RenderOrder):
    kit = _kit(request)
    kit.lesson(order.lesson)
    order = order.model_copy(update={"document": document_name(order.document)})
    from ..render import offered_document
    offered_document(kit.lesson(order.lesson), order.document)
    data, name = await kit.cached(("render", order.model_dump_json()), work.render,
                                  order.model_dump_json())
    return _download(data, PDF, name)


@router.post("/packs", summary="La séance entière : un PDF à imprimer, ou un zip",
             response_class=Response,
             responses={200: {"content": {PDF: {}, ZIP: {}, "application/json": {}},
                              "description": "Le PDF ; le zip avec Accept: application/zip ; "
                                             "le récapitulatif avec Accept: application/json"},
                        404: ERROR, 422: ERROR})
async def packs(request: Request, order: PackOrder):
    kit = _kit(request)
    kit.lesson(order.lesson)
    accept = request.headers.get("accept", "")
    fmt = "zip" if ZIP in accept else "pdf"
    await record_pack(kit, order)
    data, result = await kit.cached(("pack", order.model_dump_json(), fmt), work.pack,
                                    order.model_dump_json(), fmt)
    if "application/json" in accept and PDF not in accept and ZIP not in accept:
        return JSONResponse(result)
    return _download(data, ZIP if fmt == "zip" else PDF, f"{result['name']}.{fmt}")
