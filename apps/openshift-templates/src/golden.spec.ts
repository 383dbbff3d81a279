import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

import { processTemplate, toList } from '@ml-run/openshift';

import { FIXTURE_PARAMETERS } from './lib/fixture-parameters';
import { parametersWithoutValue, renderTemplate, templateFiles } from './lib/rendered-templates';

// `MLRUN_UPDATE_GOLDEN=1 npx jest -c apps/openshift-templates/jest.config.cjs golden` writes
// the renderings again; review their diff like code before committing it.
const UPDATE = process.env['MLRUN_UPDATE_GOLDEN'] === '1';
const GOLDEN_DIR = path.join(__dirname, 'golden');

const files = templateFiles();

describe('deploy/openshift templates, rendered with fixed parameters', () => {
  it('finds the control plane among them', () => {
    expect(files.map((f) => f.file)).toContain('ml-run-control-plane.yaml');
  });

  describe.each(files.map((f) => [f.file, f] as const))('%s', (file, template) => {
    it('has a fixture value for every parameter it requires without a default', () => {
      const missing = parametersWithoutValue(template.template).filter(
        (name) => FIXTURE_PARAMETERS[name] === undefined,
      );
      expect(missing).toEqual([]);
    });

    it('renders as its golden file', () => {
      const rendered = stringify(toList({ objects: renderTemplate(template), parameters: [] }), {
        singleQuote: true,
        // YAML 1.1 quoting (off, yes, 0755 stay strings): kubectl's and oc's parsers read 1.1
        version: '1.1',
      });
      const golden = path.join(GOLDEN_DIR, file);
      if (UPDATE) writeFileSync(golden, rendered);
      if (!existsSync(golden)) {
        throw new Error(`${golden} is missing: write it with MLRUN_UPDATE_GOLDEN=1 and review it`);
      }
      expect(rendered).toEqual(readFileSync(golden, 'utf8'));
    });

    it('is refused without the parameters it requires, naming each', () => {
      const required = parametersWithoutValue(template.template);
      const attempt = () => processTemplate(template.template);
      if (required.length === 0) expect(attempt).not.toThrow();
      for (const name of required) expect(attempt).toThrow(new RegExp(`\\(${name}\\) is required`));
    });
  });
});
