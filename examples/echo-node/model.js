'use strict';

// Echo: the smallest ML-RUN model for the node runtime.
//
// The model contract (see docs/architecture.md §1):
//
//   init(ctx)       runs once per replica, before it reports ready. ctx has
//                     modelDir         absolute path of the unpacked bundle
//                     coefficientsDir  absolute path of the manifest's coefficients.path
//                     logger           { debug, info, warn, error }(message, fields?)
//                     config           the manifest's env, as strings
//                     ignite           a connected Ignite thin client, or null
//                   Throwing (or rejecting) fails the replica with that error text.
//
//   predict(input)  runs per request: input is the raw request body as a string;
//                   the returned string (or a promise of one) is the response body.
//
// This model reads its only "coefficient", a prefix, from
// coefficients/settings.json and answers every input with prefix + input.

const fs = require('node:fs/promises');
const path = require('node:path');

let prefix = null;

exports.init = async (ctx) => {
  const file = path.join(ctx.coefficientsDir, 'settings.json');
  const settings = JSON.parse(await fs.readFile(file, 'utf8'));
  if (!settings || typeof settings.prefix !== 'string') {
    throw new Error(`${file}: expected {"prefix": "<string>"}`);
  }
  prefix = settings.prefix;
  ctx.logger.info('echo model ready', { prefix });
};

exports.predict = async (input) => {
  if (prefix === null) throw new Error('echo model is not initialised: init(ctx) must run first');
  return prefix + input;
};
