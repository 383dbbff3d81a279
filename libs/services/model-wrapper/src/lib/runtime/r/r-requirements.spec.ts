import { RuntimeErrorCode } from '../runtime.errors';
import { parseProbe, type RInstallation } from './r-installation';
import { checkRRequirements, compareVersions } from './r-requirements';

const installed: RInstallation = {
  version: '4.2.2',
  home: '/usr/lib/R',
  etc: '/etc/R',
  libraries: ['/usr/lib/R/site-library', '/usr/lib/R/library'],
  packages: ['base', 'jsonlite', 'data.table', 'Rcpp'],
};

function codeOf(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe(checkRRequirements.name, () => {
  it('accepts packages named either way, whatever their case in R', () => {
    const requirements = {
      packages: ['r-cran-data.table', 'Rcpp', 'r-cran-rcpp'],
      minVersion: '4.2',
    };
    expect(() => checkRRequirements(installed, requirements, 'Rscript')).not.toThrow();
  });

  it('names every missing package as the apt package to install', () => {
    const requirements = { packages: ['r-cran-ranger', 'glmnet'] };
    expect(() => checkRRequirements(installed, requirements, 'Rscript')).toThrow(
      'apt-get install r-cran-ranger r-cran-glmnet',
    );
  });

  it('needs jsonlite for the worker even when the manifest names nothing', () => {
    const bare = { ...installed, packages: ['base'] };
    expect(codeOf(() => checkRRequirements(bare, undefined, 'Rscript'))).toBe(
      RuntimeErrorCode.RPackagesMissing,
    );
  });

  it('refuses an R older than minVersion and a machine without R', () => {
    const newer = { packages: [], minVersion: '4.4' };
    expect(codeOf(() => checkRRequirements(installed, newer, 'Rscript'))).toBe(
      RuntimeErrorCode.RVersionTooOld,
    );
    expect(codeOf(() => checkRRequirements(undefined, undefined, 'Rscript'))).toBe(
      RuntimeErrorCode.RUnavailable,
    );
  });
});

describe('R versions and names', () => {
  it('compares versions numerically', () => {
    expect(compareVersions('4.10.0', '4.2')).toBe(1);
    expect(compareVersions('4.2.0', '4.2')).toBe(0);
    expect(compareVersions('4.1.3', '4.2')).toBe(-1);
  });

  it("reads the probe's lines", () => {
    const probe =
      'version 4.2.2 \nhome /usr/lib/R \netc /etc/R \nlibrary /usr/lib/R/library \npackage base \n';
    expect(parseProbe(probe)).toEqual({
      version: '4.2.2',
      home: '/usr/lib/R',
      etc: '/etc/R',
      libraries: ['/usr/lib/R/library'],
      packages: ['base'],
    });
    expect(parseProbe('Error: no R\n')).toBeUndefined();
  });
});
