"""The iris example as an MLflow pyfunc model ("models from code": no pickle).

MLflow copies this file into the model directory and runs it at load time;
set_model registers the model. load_context runs the example's init, predict calls the
example's predict once per input string, in order.
"""

import sys

import mlflow.pyfunc
from mlflow.models import set_model


class IrisExample(mlflow.pyfunc.PythonModel):
    def load_context(self, context):
        config = context.model_config or {}
        # iris_example.py lives beside the source of this file, not in the model directory.
        sys.path.insert(0, config["peers_dir"])
        import iris_example

        self._model = iris_example.load(config["example_dir"])

    def predict(self, context, model_input: list[str], params=None) -> list[str]:
        predict = self._model.predict
        return [predict(text) for text in model_input]


set_model(IrisExample())
