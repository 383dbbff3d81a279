"""The iris example as a BentoML 1.4 service: `bentoml serve bentoml_iris:IrisExample`.

Each worker process runs the example's init once (in __init__); the API method calls the
example's predict with the request's string and returns its answer string unchanged.
"""

import os

import bentoml

import iris_example

# 2 like the other sides of the benchmark; the bench sets MLRUN_PEER_WORKERS to match
# its own --workers (bentoml serve has no flag for it).
WORKERS = int(os.environ.get("MLRUN_PEER_WORKERS", "2"))


@bentoml.service(workers=WORKERS)
class IrisExample:
    def __init__(self) -> None:
        self._model = iris_example.load()

    @bentoml.api
    def predict(self, input: str) -> str:
        return self._model.predict(input)
