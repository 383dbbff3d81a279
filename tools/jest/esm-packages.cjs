// Lists the installed packages that ship ESM only ("type": "module"). Jest runs CommonJS
// on Node 20, so these are the node_modules it must transform (Nest 12, cookie, ...).
const fs = require('node:fs');
const path = require('node:path');

const nodeModules = path.resolve(__dirname, '../../node_modules');

function isEsmOnly(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).type === 'module';
  } catch {
    return false;
  }
}

function esmPackages() {
  const found = [];
  for (const name of fs.readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue;
    const dir = path.join(nodeModules, name);
    const names = name.startsWith('@') ? fs.readdirSync(dir).map((n) => `${name}/${n}`) : [name];
    found.push(...names.filter((n) => isEsmOnly(path.join(nodeModules, n))));
  }
  return found;
}

module.exports = { esmPackages };
