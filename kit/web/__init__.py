"""`kit serve`: the kit as a local web application and a JSON API.

`app.create_app(config)` builds the ASGI app; `serve.serve(...)` runs it with uvicorn.
Pages and API share the library calls of the command line (kit.pack, kit.render),
so a PDF from the browser is the PDF `kit pack` writes.
"""
