"""Writes the MLflow model directory for the iris example: save_mlflow_model.py <out-dir>.

Build output: the bench writes it under a temporary directory at start, never committed.
"""

import os
import sys

import mlflow.pyfunc

HERE = os.path.dirname(os.path.abspath(__file__))


def main(out_dir):
    import iris_example

    mlflow.pyfunc.save_model(
        path=out_dir,
        python_model=os.path.join(HERE, "mlflow_iris.py"),
        model_config={"peers_dir": HERE, "example_dir": iris_example.example_dir()},
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: save_mlflow_model.py <out-dir> (a directory that does not exist yet)")
    sys.path.insert(0, HERE)
    main(sys.argv[1])
