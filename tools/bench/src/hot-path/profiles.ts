import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { summarizeProfile, type CpuProfile, type ProfileSummary } from './profile-summary';

/** One .cpuprofile's summary: which case and role it came from, and its file. */
export type ProfileReport = {
  caseName: string;
  role: string;
  file: string;
  summary: ProfileSummary;
};

/**
 * Summarizes every .cpuprofile under <dir>/<case>/<role>/ (written when the services
 * exited). A role's Node children that keep its NODE_OPTIONS write there too, one file per
 * process (the pid is in the name).
 */
export function readProfiles(dir: string, top = 10): ProfileReport[] {
  if (!existsSync(dir)) return [];
  const reports: ProfileReport[] = [];
  for (const caseName of readdirSync(dir).sort())
    for (const role of readdirSync(path.join(dir, caseName)).sort())
      for (const file of readdirSync(path.join(dir, caseName, role)).sort()) {
        if (!file.endsWith('.cpuprofile')) continue;
        const full = path.join(dir, caseName, role, file);
        const profile = JSON.parse(readFileSync(full, 'utf8')) as CpuProfile;
        reports.push({ caseName, role, file: full, summary: summarizeProfile(profile, top) });
      }
  return reports;
}
