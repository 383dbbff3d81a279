import { DEPLOY_TARGETS, isDeployTarget } from './deployment.dto';

describe(isDeployTarget.name, () => {
  it.each(DEPLOY_TARGETS)('accepts %s', (target) => {
    expect(isDeployTarget(target)).toBe(true);
  });

  it.each(['', 'Process', 'kubernetes', 'process ', undefined, null, 1, ['swarm']])(
    'refuses %p',
    (value) => {
      expect(isDeployTarget(value)).toBe(false);
    },
  );
});
