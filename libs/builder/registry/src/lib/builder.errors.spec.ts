import { DeployError, DeployErrorCode } from '@ml-run/deployer';

import { mapBuilderError } from './builder.errors';

describe('mapBuilderError', () => {
  // What a cluster target refuses reaches the caller as its code and the deployer's sentence.
  it.each([
    [DeployErrorCode.QuotaExceeded, 409, 'the namespace quota ml-run allows 4 pods; free some'],
    [DeployErrorCode.ImagePullFailed, 502, 'the nodes could not pull 127.0.0.1:5000/ml-run/iris'],
    [DeployErrorCode.PodSecurityRefused, 503, 'the namespace enforces restricted; ask an admin'],
    [DeployErrorCode.DeploymentFailed, 422, "init failed: the model's own words"],
    [DeployErrorCode.DeployerClosed, 503, 'the deployer is shutting down'],
  ])('answers %s with %i, its code and its message', (code, status, message) => {
    expect(mapBuilderError(new DeployError(code, message))).toEqual({ status, code, message });
  });

  it('leaves errors of no known kind to the 500 handler', () => {
    expect(mapBuilderError(new Error('boom'))).toBeUndefined();
  });
});
