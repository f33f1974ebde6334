"""A saved model as an HTTP service: JSON predictions and explanations, and a page.

:func:`create_app` makes the ASGI application (FastAPI) of a model file;
:func:`serve` runs it with uvicorn, as ``sklearn-imdb serve MODEL`` does.
Needs the ``[serve]`` extra (``pip install 'sklearn-imdb[serve]'``); the
model predicts with NumPy (:func:`~sklearn_imdb.load_model`), so a server
never starts TensorFlow.
"""

from ._app import create_app, serve
from ._limits import Limits

__all__ = ["Limits", "create_app", "serve"]
