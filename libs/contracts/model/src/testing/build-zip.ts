// Test helper: builds real zips with yazl, and patches headers yazl refuses to write
// (absolute names, "..", encryption flags, lying sizes).
import { ZipFile } from 'yazl';

export type ZipSpec = {
  name: string;
  content?: string | Buffer;
  /** Unix mode, e.g. 0o120777 for a symlink. */
  mode?: number;
  directory?: boolean;
  compress?: boolean;
};

export type EntryPatch = { name?: string; flags?: number; uncompressedSize?: number };

export function zipBuffer(specs: readonly ZipSpec[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const spec of specs) {
    if (spec.directory) zip.addEmptyDirectory(spec.name, { mode: spec.mode });
    else {
      const content = Buffer.from(spec.content ?? '');
      zip.addBuffer(content, spec.name, { mode: spec.mode, compress: spec.compress ?? true });
    }
  }
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

const EOCD = 0x06054b50;

function centralDirectory(zip: Buffer): { offset: number; count: number } {
  for (let i = zip.length - 22; i >= 0; i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      return { offset: zip.readUInt32LE(i + 16), count: zip.readUInt16LE(i + 10) };
    }
  }
  throw new Error('no end of central directory record');
}

function patchHeader(zip: Buffer, at: number, local: boolean, patch: EntryPatch): void {
  const [flagsAt, sizeAt, nameAt] = local ? [6, 22, 30] : [8, 24, 46];
  if (patch.flags !== undefined)
    zip.writeUInt16LE(zip.readUInt16LE(at + flagsAt) | patch.flags, at + flagsAt);
  if (patch.uncompressedSize !== undefined) zip.writeUInt32LE(patch.uncompressedSize, at + sizeAt);
  if (patch.name !== undefined) zip.write(patch.name, at + nameAt, 'utf8');
}

/**
 * Patches the local and central headers of the entry named `name`. A new name must have
 * the same byte length. Returns a patched copy.
 */
export function patchEntry(original: Buffer, name: string, patch: EntryPatch): Buffer {
  const zip = Buffer.from(original);
  const { offset, count } = centralDirectory(zip);
  let at = offset;
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const recordLength = 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      if (patch.name !== undefined && Buffer.byteLength(patch.name) !== nameLength) {
        throw new Error(`rename ${name} -> ${patch.name}: lengths differ`);
      }
      patchHeader(zip, zip.readUInt32LE(at + 42), true, patch);
      patchHeader(zip, at, false, patch);
      return zip;
    }
    at += recordLength;
  }
  throw new Error(`no entry ${name}`);
}

/** The entries of test-vectors/model-dir (version MODEL_DIR_FIXTURE_VERSION). */
export function validBundle(extraManifest = ''): ZipSpec[] {
  return [
    {
      name: 'ml-run.yaml',
      content: `name: iris\nruntime: python\nentry: model.py\ncodeVersion: 1.2.0\n${extraManifest}`,
    },
    { name: 'model.py', content: 'def predict(input):\n    return input\n' },
    { name: 'coefficients/', directory: true },
    { name: 'coefficients/weights.csv', content: 'w\n0.1\n0.2\n0.3\n' },
    { name: 'coefficients/sub/bias.txt', content: '0.5\n' },
  ];
}
