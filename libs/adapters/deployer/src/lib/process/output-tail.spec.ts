import { OutputTail } from './output-tail';

describe(OutputTail.name, () => {
  it('keeps the last lines, however the output was chunked', () => {
    const lines: string[] = [];
    const sut = new OutputTail((line) => lines.push(line));

    sut.write('first\nsec');
    sut.write('ond\r\n\nthird');

    expect(lines).toEqual(['first', 'second']);
    expect(sut.text(2)).toBe('second\nthird');
    sut.end();
    expect(lines).toEqual(['first', 'second', 'third']);
  });

  it('stays bounded for a chatty process', () => {
    const sut = new OutputTail();

    for (let line = 0; line < 1_000; line += 1) sut.write(`line ${line}\n`);
    sut.write(`${'x'.repeat(10_000)}\n`);

    expect(sut.text(100).split('\n')).toHaveLength(20);
    expect(sut.text(1)).toHaveLength(2_000);
  });
});
