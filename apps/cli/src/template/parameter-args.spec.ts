import { combineParameters, parseParameterArgs, parseParameterFile } from './parameter-args';

describe('parameter arguments (oc process -p and --param-file)', () => {
  it('splits -p at the first =, keeping = and empty values', () => {
    expect(Object.fromEntries(parseParameterArgs(['A=b=c', 'EMPTY=', 'dotted.name-x=1']))).toEqual({
      A: 'b=c',
      EMPTY: '',
      'dotted.name-x': '1',
    });
  });

  it('refuses names oc refuses', () => {
    expect(() => parseParameterArgs(['1A=x'])).toThrow(/invalid parameter assignment in "1A=x"/);
    expect(() => parseParameterArgs(['=x'])).toThrow(/invalid parameter assignment/);
  });

  it('reads param files as oc does: comments, export, quotes, NAME: VALUE', () => {
    const values = parseParameterFile(
      [
        '# comment',
        '',
        'export A=1',
        'B = spaced ',
        'C="quoted # not a comment"  # a comment',
        "D='single'",
        'E="two\\nlines"',
        'F: yaml-style',
        'A=later wins',
      ].join('\n'),
      'params.env',
    );
    expect(Object.fromEntries(values)).toEqual({
      A: 'later wins',
      B: 'spaced',
      C: 'quoted # not a comment',
      D: 'single',
      E: 'two\nlines',
      F: 'yaml-style',
    });
    expect(() => parseParameterFile('no separator', 'p.env')).toThrow(/p.env: cannot separate/);
  });

  it('-p wins over files and the first file over later ones, each loser warned of', () => {
    const warnings: string[] = [];
    const combined = combineParameters(
      new Map([['A', 'flag']]),
      [
        {
          file: 'one.env',
          values: new Map([
            ['A', 'one'],
            ['B', 'one'],
          ]),
        },
        {
          file: 'two.env',
          values: new Map([
            ['B', 'two'],
            ['C', 'two'],
          ]),
        },
      ],
      (line) => warnings.push(line),
    );
    expect(combined).toEqual({ A: 'flag', B: 'one', C: 'two' });
    expect(warnings).toEqual([
      'warning: Template parameter "A" already defined, ignoring value from file "one.env"',
      'warning: Template parameter "B" already defined, ignoring value from file "two.env"',
    ]);
  });
});
