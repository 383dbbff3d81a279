// The templates of deploy/openshift: golden renderings and offline schema checks here; the
// live server-side dry-run is an integration spec (jest.int.config.cjs).
module.exports = { ...require('../../jest.preset.cjs'), displayName: 'openshift-templates' };
