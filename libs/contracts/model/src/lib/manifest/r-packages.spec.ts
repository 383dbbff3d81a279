import { rDebianPackage, rModelPackages } from './r-packages';

describe(rDebianPackage.name, () => {
  it('maps R names to Debian names and keeps Debian names', () => {
    expect(rDebianPackage('data.table')).toBe('r-cran-data.table');
    expect(rDebianPackage('Rcpp')).toBe('r-cran-rcpp');
    expect(rDebianPackage('r-cran-jsonlite')).toBe('r-cran-jsonlite');
  });

  it("lists the worker's package first, without repeats", () => {
    expect(rModelPackages(undefined)).toEqual(['r-cran-jsonlite']);
    expect(rModelPackages({ packages: ['jsonlite', 'Rcpp', 'r-cran-rcpp'] })).toEqual([
      'r-cran-jsonlite',
      'r-cran-rcpp',
    ]);
  });
});
