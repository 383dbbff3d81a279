"""ML-RUN python worker: runs one model's init(ctx) once, then serves predict(input).

Spoken over stdio by the model-wrapper's PythonRuntime. Each frame is a 4-byte
big-endian unsigned length followed by that many bytes of UTF-8 JSON.

  -> {"id": 1, "op": "init", "modelDir": ..., "entry": ..., "coefficientsDir": ..., "config": {...},
      "igniteEndpoints": ["host:port", ...]}      (igniteEndpoints only when the wrapper has them)
  <- {"id": 1, "ok": true}
  -> {"id": 2, "op": "predict", "input": "..."}
  <- {"id": 2, "ok": true, "output": "..."}
  <- {"id": n, "ok": false, "error": {"type": "ValueError", "message": "...", "traceback": "..."}}

EOF on the request channel -> exit 0. A malformed frame -> exit 2 (the pool replaces us).
Standard library only, plus pyignite when igniteEndpoints are given: init(ctx) then gets
ctx.ignite, a pyignite.Client connected to them (closed when the worker exits).
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import json
import logging
import os
import signal
import socket
import struct
import sys
import traceback
from pathlib import Path
from typing import Any, BinaryIO, Callable

HEADER = struct.Struct(">I")
MAX_FRAME_BYTES = 1 << 30
EXIT_PROTOCOL_ERROR = 2


class ProtocolError(Exception):
    """The parent sent something that is not a frame of this protocol."""


class ModelContext:
    """What init(ctx) receives."""

    def __init__(self, model_dir: str, coefficients_dir: str, config: dict[str, str], ignite: Any = None):
        self.model_dir = model_dir
        self.coefficients_dir = coefficients_dir
        self.config = config
        self.logger = _model_logger()
        # A connected pyignite.Client when the wrapper has MLRUN_MODEL_IGNITE_ENDPOINTS, else None.
        self.ignite = ignite

    def __repr__(self) -> str:
        return f"ModelContext(model_dir={self.model_dir!r}, coefficients_dir={self.coefficients_dir!r})"


def _model_logger() -> logging.Logger:
    logger = logging.getLogger("model")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


IGNITE_SETTING = "MLRUN_MODEL_IGNITE_ENDPOINTS"
PYIGNITE_REQUIREMENT = "pyignite==0.6.1"
PROBE_TIMEOUT_SECONDS = 2.0


class IgniteUnavailableError(Exception):
    """The wrapper has Ignite endpoints, but no client could be connected to them."""


def ignite_nodes(endpoints: list[Any]) -> list[tuple[str, int]]:
    """["host:port", ...] -> [(host, port), ...], as pyignite.Client.connect takes them."""
    nodes = []
    for endpoint in endpoints:
        host, _, port = str(endpoint).strip().rpartition(":")
        if not host or not port.isdigit():
            raise IgniteUnavailableError(f"{IGNITE_SETTING}: {endpoint!r} is not host:port")
        nodes.append((host, int(port)))
    return nodes


def probe(nodes: list[tuple[str, int]]) -> str:
    """Why plain TCP fails, per endpoint: pyignite itself only says 'Can not connect.'."""
    reasons = []
    for host, port in nodes:
        try:
            socket.create_connection((host, port), timeout=PROBE_TIMEOUT_SECONDS).close()
        except OSError as error:
            reasons.append(f"{host}:{port}: {error.strerror or error}")
    return "; ".join(reasons)


def connect_ignite(endpoints: list[Any]) -> Any:
    """A pyignite.Client connected to the endpoints; IgniteUnavailableError says why not."""
    listed = ", ".join(str(endpoint) for endpoint in endpoints)
    nodes = ignite_nodes(endpoints)
    try:
        from pyignite import Client  # only deployments with Ignite need it
    except ImportError as error:
        raise IgniteUnavailableError(
            f"{IGNITE_SETTING} is set ({listed}) but pyignite cannot be imported by {sys.executable} "
            f"({error}): install it with pip install {PYIGNITE_REQUIREMENT}"
        ) from None
    client = Client()
    try:
        client.connect(nodes)
    except Exception as error:  # noqa: BLE001 - any failure means no usable client
        client.close()
        reason = f"{type(error).__name__}: {error}"
        details = probe(nodes)
        if details:
            reason += f" ({details})"
        raise IgniteUnavailableError(f"cannot connect to Ignite at {listed} ({IGNITE_SETTING}): {reason}") from None
    return client


def protect_stdio() -> tuple[BinaryIO, BinaryIO]:
    """Moves the protocol off fds 0/1 so model code (even C extensions) cannot corrupt it."""
    frames_in = os.dup(0)  # os.dup makes non-inheritable fds: subprocesses don't get them
    frames_out = os.dup(1)
    os.dup2(2, 1)  # print() and printf() from model code now land on stderr
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    return os.fdopen(frames_in, "rb", buffering=1 << 16), os.fdopen(frames_out, "wb", buffering=1 << 16)


def read_exact(reader: BinaryIO, size: int) -> bytes:
    # BufferedReader.read(n) returns fewer than n bytes only at EOF.
    return reader.read(size) if size > 0 else b""


def read_frame(reader: BinaryIO) -> dict[str, Any] | None:
    header = read_exact(reader, HEADER.size)
    if not header:
        return None
    if len(header) < HEADER.size:
        raise ProtocolError("truncated frame header")
    (length,) = HEADER.unpack(header)
    if length > MAX_FRAME_BYTES:
        raise ProtocolError(f"frame of {length} bytes exceeds {MAX_FRAME_BYTES}")
    body = read_exact(reader, length)
    if len(body) < length:
        raise ProtocolError(f"truncated frame body: {len(body)} of {length} bytes")
    try:
        message = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProtocolError(f"frame is not UTF-8 JSON: {error}") from error
    if not isinstance(message, dict) or not isinstance(message.get("id"), int):
        raise ProtocolError("frame is not an object with an integer id")
    return message


# The C string encoder json.dumps(ensure_ascii=False) uses: the same text, without an encoder per call.
_json_text = json.encoder.encode_basestring


def encode_reply(message: dict[str, Any]) -> bytes:
    request_id, output = message["id"], message.get("output")
    if type(request_id) is int and type(output) is str and len(message) == 3 and message["ok"] is True:
        # A predict answer, every request: formatted here (json.dumps costs ~5 us more).
        try:
            return b'{"id":%d,"ok":true,"output":%s}' % (request_id, _json_text(output).encode("utf-8"))
        except UnicodeEncodeError:
            pass
    try:
        return json.dumps(message, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be UTF-8; \u escapes carry them to JSON.parse intact.
        return json.dumps(message, ensure_ascii=True).encode("ascii")


def write_frame(writer: BinaryIO, message: dict[str, Any]) -> None:
    body = encode_reply(message)
    # One buffered write and one flush: header and body leave in a single syscall.
    writer.write(HEADER.pack(len(body)) + body)
    writer.flush()


def error_reply(request_id: int, error: BaseException) -> dict[str, Any]:
    return {
        "id": request_id,
        "ok": False,
        "error": {"type": type(error).__name__, "message": str(error), "traceback": model_traceback(error)},
    }


def model_traceback(error: BaseException) -> str:
    """The traceback from the model's first frame on: this file's frames are noise to its author."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


class Worker:
    """Holds the loaded model and answers one request at a time."""

    def __init__(self) -> None:
        self.predict_fn: Callable[[str], Any] | None = None
        self.ignite: Any = None
        # One loop for the worker's life: resources an async init creates stay usable.
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        result = fn(*args)
        if inspect.isawaitable(result):
            result = self.loop.run_until_complete(result)
        return result

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        request_id = request["id"]
        op = request.get("op")
        try:
            if op == "init":
                self.init(request)
                return {"id": request_id, "ok": True}
            if op == "predict":
                return {"id": request_id, "ok": True, "output": self.predict(request.get("input"))}
            raise ValueError(f"unknown op {op!r}")
        except Exception as error:  # noqa: BLE001 - any model failure becomes an error reply
            return error_reply(request_id, error)

    def init(self, request: dict[str, Any]) -> None:
        if self.predict_fn is not None:
            raise RuntimeError("worker is already initialized")
        model_dir = str(Path(request["modelDir"]).resolve())
        module = load_entry(model_dir, request["entry"])
        predict = getattr(module, "predict", None)
        if not callable(predict):
            raise TypeError(f"{request['entry']} must define a callable predict(input)")
        init = getattr(module, "init", None)
        if init is not None:
            if not callable(init):
                raise TypeError(f"{request['entry']}: init must be callable")
            config = {str(k): str(v) for k, v in (request.get("config") or {}).items()}
            # ctx reaches init only: a model without init gets no Ignite connection either.
            endpoints = request.get("igniteEndpoints") or []
            self.ignite = connect_ignite(endpoints) if endpoints else None
            try:
                self.call(init, ModelContext(model_dir, request["coefficientsDir"], config, self.ignite))
            except BaseException:
                self.close()
                raise
        self.predict_fn = predict

    def close(self) -> None:
        if self.ignite is not None:
            try:
                self.ignite.close()
            except Exception:  # noqa: BLE001 - exiting anyway; the socket dies with us
                pass
            self.ignite = None

    def predict(self, model_input: Any) -> str:
        if self.predict_fn is None:
            raise RuntimeError("predict before init")
        if not isinstance(model_input, str):
            raise TypeError(f"input must be str, got {type(model_input).__name__}")
        output = self.call(self.predict_fn, model_input)
        if not isinstance(output, str):
            raise TypeError(f"predict must return str, got {type(output).__name__}")
        return output


# Where the builder installs a bundle's requirements.txt (pip install --target).
DEPENDENCIES_DIR = ".mlrun-deps"


def load_entry(model_dir: str, entry: str) -> Any:
    path = Path(model_dir, entry)
    dependencies = Path(model_dir, DEPENDENCIES_DIR)
    if dependencies.is_dir():
        sys.path.insert(0, str(dependencies))
    sys.path.insert(0, model_dir)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load entry {entry!r} from {model_dir}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def serve(reader: BinaryIO, writer: BinaryIO) -> int:
    worker = Worker()
    try:
        return serve_requests(worker, reader, writer)
    finally:
        worker.close()


def serve_requests(worker: Worker, reader: BinaryIO, writer: BinaryIO) -> int:
    while True:
        try:
            request = read_frame(reader)
        except ProtocolError as error:
            print(f"mlrun_worker: protocol error: {error}", file=sys.stderr, flush=True)
            return EXIT_PROTOCOL_ERROR
        if request is None:
            return 0
        try:
            write_frame(writer, worker.handle(request))
        except BrokenPipeError:
            return 0


def main() -> int:
    # SIGTERM ends us at once, even inside a C extension; Ctrl-C is the parent's business.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    reader, writer = protect_stdio()
    return serve(reader, writer)


if __name__ == "__main__":
    sys.exit(main())
