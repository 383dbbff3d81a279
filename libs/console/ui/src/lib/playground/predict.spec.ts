import { formatAnswer, predictPath } from './predict';

describe(predictPath.name, () => {
  it('goes through the router proxy and escapes the version', () => {
    expect(predictPath('iris', '1.0.0+6526c66fa490')).toBe(
      '/console/api/router/v1/models/iris/versions/1.0.0+6526c66fa490/predict',
    );
  });
});

describe(formatAnswer.name, () => {
  it('indents JSON and keeps text', () => {
    expect(formatAnswer({ class: 'setosa' })).toBe('{\n  "class": "setosa"\n}');
    expect(formatAnswer('plain')).toBe('plain');
  });
});
