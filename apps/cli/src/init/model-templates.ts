import type { RuntimeKind } from '@ml-run/model-contract';

// The files `ml-run init` writes: a small linear model that passes its own self-test.

/** The scaffold's self-test: features [1, 2, 3] with weights [0.5, 0.25, 0.25] score 1.75. */
export const SCAFFOLD_SELF_TEST = { input: '{"features":[1,2,3]}', expectOutput: '{"score":1.75}' };

const WEIGHTS = `{ "weights": [0.5, 0.25, 0.25], "bias": 0 }\n`;

const ENTRIES: Record<RuntimeKind, string> = { python: 'model.py', node: 'model.js', r: 'model.R' };
const entryOf = (runtime: RuntimeKind) => ENTRIES[runtime];

// R models name their Debian packages (apt-installed in images, required on a host).
const R_SETTINGS = `r:
  packages: [r-cran-jsonlite] # Debian r-cran-* packages (or R names) the model loads
  minVersion: '4.2' # the oldest R it runs on; GET /v1/model reports the R it got
`;

function manifest(name: string, runtime: RuntimeKind): string {
  return `# ML-RUN model manifest; every field is described in manifest.schema.json of @ml-run/model-contract
name: ${name}
runtime: ${runtime}
entry: ${entryOf(runtime)}
codeVersion: 0.1.0 # semver of the code; the coefficients digest completes the model version
coefficients:
  path: coefficients/
replicas: 1
initTimeoutSeconds: 30
${runtime === 'r' ? R_SETTINGS : ''}selfTest: # predicted before a replica reports ready, and by \`ml-run test\`
  input: '${SCAFFOLD_SELF_TEST.input}'
  expectOutput: '${SCAFFOLD_SELF_TEST.expectOutput}'
env: {} # handed to init as ctx.config
`;
}

const PYTHON_MODEL = `"""A linear model scaffolded by \`ml-run init\`.

init(ctx) runs once per replica; predict(input) runs per request: str in, str out.
ctx has model_dir, coefficients_dir, logger, config (the manifest's env) and ignite.
"""

import json
import os

_model = None


def init(ctx):
    global _model
    with open(os.path.join(ctx.coefficients_dir, "weights.json"), encoding="utf-8") as f:
        _model = json.load(f)
    ctx.logger.info("loaded %d weights", len(_model["weights"]))


def predict(input):
    features = json.loads(input)["features"]
    weights = _model["weights"]
    if len(features) != len(weights):
        raise ValueError("expected %d features, got %d" % (len(weights), len(features)))
    score = _model["bias"] + sum(w * x for w, x in zip(weights, features))
    return json.dumps({"score": round(score, 6)}, separators=(",", ":"))
`;

const NODE_MODEL = `'use strict';

// A linear model scaffolded by \`ml-run init\`.
// init(ctx) runs once per replica; predict(input) runs per request: string in, string out.
// ctx has modelDir, coefficientsDir, logger, config (the manifest's env) and ignite.

const fs = require('node:fs/promises');
const path = require('node:path');

let model = null;

exports.init = async (ctx) => {
  const file = path.join(ctx.coefficientsDir, 'weights.json');
  model = JSON.parse(await fs.readFile(file, 'utf8'));
  ctx.logger.info('weights loaded', { count: model.weights.length });
};

exports.predict = async (input) => {
  const { features } = JSON.parse(input);
  if (features.length !== model.weights.length) {
    throw new Error(\`expected \${model.weights.length} features, got \${features.length}\`);
  }
  const score = features.reduce((sum, x, i) => sum + x * model.weights[i], model.bias);
  return JSON.stringify({ score: Math.round(score * 1e6) / 1e6 });
};
`;

const R_MODEL = `# A linear model scaffolded by \`ml-run init\`.
# init(ctx) runs once per worker; predict(input) runs per request: a string in, a string out.
# ctx has model_dir, coefficients_dir, logger, config (the manifest's env) and ignite (NULL:
# no Ignite client for R). print() and cat() only reach the log.

model <- NULL

init <- function(ctx) {
  file <- file.path(ctx$coefficients_dir, "weights.json")
  if (!file.exists(file)) stop("cannot find the coefficients file ", file)
  model <<- jsonlite::read_json(file, simplifyVector = TRUE)
  ctx$logger$info("loaded ", length(model$weights), " weights")
}

predict <- function(input) {
  features <- jsonlite::parse_json(input, simplifyVector = TRUE)$features
  if (length(features) != length(model$weights)) {
    stop(sprintf("expected %d features, got %d", length(model$weights), length(features)))
  }
  score <- model$bias + sum(model$weights * features)
  sprintf('{"score":%s}', format(round(score, 6), digits = 15))
}
`;

const MODELS: Record<RuntimeKind, string> = { python: PYTHON_MODEL, node: NODE_MODEL, r: R_MODEL };

function readme(name: string): string {
  return `# ${name}

Scaffolded by \`ml-run init\`: check it with \`ml-run test .\`, bundle it with \`ml-run pack .\`, publish it with \`ml-run push . --deploy\`.
`;
}

/** The scaffold's files by path inside the model folder. */
export function scaffoldFiles(name: string, runtime: RuntimeKind): Record<string, string> {
  return {
    'ml-run.yaml': manifest(name, runtime),
    [entryOf(runtime)]: MODELS[runtime],
    'coefficients/weights.json': WEIGHTS,
    'README.md': readme(name),
  };
}
