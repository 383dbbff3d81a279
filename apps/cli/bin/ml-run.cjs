#!/usr/bin/env node
'use strict';

// `npx ml-run` (package.json "bin"): runs the CLI that `npm run build` wrote to dist.
const fs = require('node:fs');
const path = require('node:path');

const main = path.resolve(__dirname, '../../../dist/apps/cli/main.js');
if (!fs.existsSync(main)) {
  process.stderr.write('ml-run: the CLI is not built yet: run npm run build\n');
  process.exitCode = 1;
} else {
  require(main);
}
