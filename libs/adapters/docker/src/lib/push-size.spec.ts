import { pushSizeOf } from './push-size';

const diffIds = ['sha256:aaaaaaaaaaaa111', 'sha256:bbbbbbbbbbbb222', 'sha256:cccccccccccc333'];
const layers = [
  { digest: 'sha256:1', size: 1000 },
  { digest: 'sha256:2', size: 200 },
  { digest: 'sha256:3', size: 30 },
];

describe(pushSizeOf.name, () => {
  it('counts only the layers the push uploaded, by their compressed size', () => {
    const statuses = {
      aaaaaaaaaaaa: 'Mounted from ml-run/base',
      bbbbbbbbbbbb: 'Layer already exists',
      cccccccccccc: 'Pushed',
    };
    expect(pushSizeOf(diffIds, statuses, layers)).toEqual({
      layers: 3,
      pushedLayers: 1,
      pushedBytes: 30,
      imageBytes: 1230,
    });
  });

  it('leaves bytes out when the manifest is unknown or does not match the image', () => {
    const statuses = { cccccccccccc: 'Pushed' };
    expect(pushSizeOf(diffIds, statuses, undefined)).toEqual({ layers: 3, pushedLayers: 1 });
    expect(pushSizeOf(diffIds, statuses, layers.slice(1))).toEqual({ layers: 3, pushedLayers: 1 });
  });
});
