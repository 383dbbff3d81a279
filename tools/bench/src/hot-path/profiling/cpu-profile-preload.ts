// Loaded with NODE_OPTIONS=--require=<this, bundled>: profiles the process from its start
// and writes <HOT_PATH_PROFILE_DIR>/CPU.<pid>.cpuprofile as it exits. Node 20 refuses
// --cpu-prof in NODE_OPTIONS, and the apps are started as `node main.js` without room for
// node flags; the inspector does the same from inside. The in-process session answers
// synchronously, which is what lets an 'exit' handler stop the profiler and write.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env['HOT_PATH_PROFILE_DIR'];
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      writeFileSync(
        path.join(dir, `CPU.${process.pid}.cpuprofile`),
        JSON.stringify(result.profile),
      );
    });
  });
}
