import { OutputLines } from './output-lines';

describe(OutputLines.name, () => {
  it('emits complete lines across chunks and keeps the last ones', () => {
    const seen: string[] = [];
    const sut = new OutputLines((line) => seen.push(line), 2);
    sut.push(Buffer.from('one\r\ntw'));
    sut.push(Buffer.from('o\n\nthree'));
    expect(seen).toEqual(['one', 'two']);
    sut.end();
    expect(seen).toEqual(['one', 'two', 'three']);
    expect(sut.lines()).toEqual(['two', 'three']);
  });

  it('does not split a multi-byte character across chunks', () => {
    const seen: string[] = [];
    const sut = new OutputLines((line) => seen.push(line));
    const bytes = Buffer.from('ü😀\n');
    sut.push(bytes.subarray(0, 3));
    sut.push(bytes.subarray(3));
    expect(seen).toEqual(['ü😀']);
  });
});
