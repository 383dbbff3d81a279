import { modelProcessEnv } from '@ml-run/config';

import { runHarnessChild } from './harness-child';
import type { HarnessRequest, HarnessResult } from './harness-result';

// Runs in `python3 -c`: reads the request (JSON) on stdin, imports the entry by path, runs
// init(ctx) then predict(input), and writes one JSON result to the original stdout; the
// model's print() and logging go to stderr, as in the wrapper's worker.
const HARNESS = String.raw`
import asyncio, importlib.util, inspect, json, logging, os, sys, traceback

result_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)


class ModelContext:
    def __init__(self, request):
        self.model_dir = request["modelDir"]
        self.coefficients_dir = request["coefficientsDir"]
        self.config = dict(request["config"])
        self.logger = logging.getLogger("model")
        self.ignite = None


def load(model_dir, entry):
    path = os.path.join(model_dir, entry)
    name = os.path.splitext(os.path.basename(path))[0]
    sys.path.insert(0, model_dir)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run(request, loop):
    def call(fn, *args):
        value = fn(*args)
        return loop.run_until_complete(value) if inspect.isawaitable(value) else value

    stage = "load"
    try:
        module = load(request["modelDir"], request["entry"])
        predict = getattr(module, "predict", None)
        if not callable(predict):
            raise TypeError("%s must define a callable predict(input)" % request["entry"])
        stage = "init"
        init = getattr(module, "init", None)
        if init is not None:
            call(init, ModelContext(request))
        if request.get("input") is None:
            return {"stage": "done"}
        stage = "predict"
        output = call(predict, request["input"])
        if not isinstance(output, str):
            raise TypeError("predict must return str, got %s" % type(output).__name__)
        return {"stage": "done", "output": output}
    except BaseException as error:
        return {"stage": stage, "error": "%s: %s" % (type(error).__name__, error),
                "trace": traceback.format_exc()}


logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                    format="%(levelname)s %(name)s: %(message)s")
result = run(json.load(sys.stdin), asyncio.new_event_loop())
result_out.write(json.dumps(result))
result_out.flush()
`;

/** Runs a python model's init and predict in a child `python3`, with the wrapper's ctx. */
export function runPythonModel(request: HarnessRequest, python: string): Promise<HarnessResult> {
  return runHarnessChild(request, {
    command: python,
    args: ['-c', HARNESS],
    env: { ...modelProcessEnv(), PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
    setting: 'MLRUN_PYTHON',
  });
}
