import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

import type { BundleFile } from './bundle-files';

// DOS timestamps are local time: a local date (made when packing, in the zone in force)
// gives the same bytes in every time zone; forceDosTimestamp leaves out the UTC extra field.
const fixedMtime = () => new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;
const DIRECTORY_MODE = 0o040755;

/**
 * Zips the files in the order given with fixed timestamps and modes, so the same content
 * always gives the same bytes. Written beside `outFile`, then renamed into place.
 */
export async function writeBundleZip(files: readonly BundleFile[], outFile: string): Promise<void> {
  const zip = new ZipFile();
  const mtime = fixedMtime();
  for (const file of files) {
    if (file.directory) {
      zip.addEmptyDirectory(`${file.name}/`, {
        mtime,
        mode: DIRECTORY_MODE,
        forceDosTimestamp: true,
      });
      continue;
    }
    zip.addFile(file.absolute, file.name, {
      mtime,
      mode: file.executable ? EXECUTABLE_MODE : FILE_MODE,
      forceDosTimestamp: true,
      compress: true,
    });
  }
  zip.end();
  const temporary = `${outFile}.${process.pid}.tmp`;
  try {
    await pipeline(zip.outputStream, createWriteStream(temporary));
    await rename(temporary, outFile);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
