import { ContractErrorCode as Code } from '../contract.errors';
import { checkZipEntries, ZIP_RULES } from './check-zip-entries';
import { DEFAULT_ZIP_LIMITS, type ZipEntryInfo, type ZipLimits } from './zip-limits';

const MiB = 1024 ** 2;

const file = (name: string, over: Partial<ZipEntryInfo> = {}): ZipEntryInfo => ({
  name,
  compressedSize: 10,
  uncompressedSize: 20,
  isSymlink: false,
  isDirectory: name.endsWith('/'),
  isEncrypted: false,
  ...over,
});

const valid = [
  file('ml-run.yaml'),
  file('model.py'),
  file('coefficients/'),
  file('coefficients/w.bin'),
];
const small: ZipLimits = { ...DEFAULT_ZIP_LIMITS, maxEntries: 4, maxTotalUncompressedBytes: 1000 };

describe(checkZipEntries.name, () => {
  it('accepts a well-formed listing', () => {
    expect(checkZipEntries(valid, DEFAULT_ZIP_LIMITS)).toBeUndefined();
  });

  it.each<[string, ZipEntryInfo[], ZipLimits, Code]>([
    ['more entries than allowed', [...valid, file('extra.txt')], small, Code.ZipTooManyEntries],
    ['an absolute path', [...valid, file('/etc/passwd')], DEFAULT_ZIP_LIMITS, Code.ZipAbsolutePath],
    ['a drive-letter path', [...valid, file('C:/x.py')], DEFAULT_ZIP_LIMITS, Code.ZipAbsolutePath],
    ['a ".." segment', [...valid, file('a/../../x')], DEFAULT_ZIP_LIMITS, Code.ZipPathTraversal],
    [
      'a backslash separator',
      [...valid, file('src\\x.py')],
      DEFAULT_ZIP_LIMITS,
      Code.ZipInvalidName,
    ],
    ['a NUL in a name', [...valid, file('x\u0000.py')], DEFAULT_ZIP_LIMITS, Code.ZipInvalidName],
    ['an empty file name', [...valid, file('')], DEFAULT_ZIP_LIMITS, Code.ZipInvalidName],
    [
      'a symlink',
      [...valid, file('link', { isSymlink: true })],
      DEFAULT_ZIP_LIMITS,
      Code.ZipSymlink,
    ],
    [
      'an encrypted entry',
      [...valid, file('s', { isEncrypted: true })],
      DEFAULT_ZIP_LIMITS,
      Code.ZipEncrypted,
    ],
    [
      'an entry inflating past the ratio',
      [...valid, file('bomb', { compressedSize: 10_000, uncompressedSize: 300 * 10_000 })],
      DEFAULT_ZIP_LIMITS,
      Code.ZipCompressionRatio,
    ],
    ['an exact duplicate', [...valid, file('model.py')], DEFAULT_ZIP_LIMITS, Code.ZipDuplicateName],
    [
      'a case-only duplicate',
      [...valid, file('Model.py')],
      DEFAULT_ZIP_LIMITS,
      Code.ZipDuplicateName,
    ],
    ['a "./" duplicate', [...valid, file('./model.py')], DEFAULT_ZIP_LIMITS, Code.ZipDuplicateName],
    [
      'a file that is also a folder',
      [...valid, file('model.py/x')],
      DEFAULT_ZIP_LIMITS,
      Code.ZipDuplicateName,
    ],
    [
      'more bytes than allowed in total',
      valid.map((e) => ({ ...e, uncompressedSize: 300 })),
      small,
      Code.ZipTooLarge,
    ],
    ['no manifest', valid.slice(1), DEFAULT_ZIP_LIMITS, Code.ManifestMissing],
    [
      'the manifest only in a subfolder',
      valid.map((e) => ({ ...e, name: `iris/${e.name}` })),
      DEFAULT_ZIP_LIMITS,
      Code.ZipManifestNotAtRoot,
    ],
    [
      'an oversized manifest',
      [file('ml-run.yaml', { uncompressedSize: 65 * 1024 }), ...valid.slice(1)],
      DEFAULT_ZIP_LIMITS,
      Code.ManifestTooLarge,
    ],
  ])('rejects %s', (_name, entries, limits, code) => {
    expect(checkZipEntries(entries, limits)?.code).toBe(code);
  });

  it('spares small entries from the ratio rule', () => {
    const tiny = file('zeros.bin', { compressedSize: 1, uncompressedSize: MiB });
    expect(checkZipEntries([...valid, tiny], DEFAULT_ZIP_LIMITS)).toBeUndefined();
  });

  it('lists every offending entry of the first broken rule', () => {
    const sut = checkZipEntries(
      [...valid, file('a', { isSymlink: true }), file('b', { isSymlink: true }), file('/abs')],
      DEFAULT_ZIP_LIMITS,
    );
    expect(sut?.code).toBe(Code.ZipAbsolutePath);
    const symlinks = checkZipEntries(
      [...valid, file('a', { isSymlink: true }), file('b', { isSymlink: true })],
      DEFAULT_ZIP_LIMITS,
    );
    expect(symlinks?.details?.map((d) => d.path)).toEqual(['a', 'b']);
    expect(symlinks?.message).toContain('replace each with a copy');
  });

  it('tells the author to zip the folder contents, not the folder', () => {
    const sut = checkZipEntries(
      valid.map((e) => ({ ...e, name: `iris/${e.name}` })),
      DEFAULT_ZIP_LIMITS,
    );
    expect(sut?.message).toContain("zip the folder's contents, not the folder (cd iris && zip");
  });

  it('applies ten rules', () => {
    expect(ZIP_RULES).toHaveLength(10);
  });
});
