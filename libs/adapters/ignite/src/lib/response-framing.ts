// apache-ignite-client 1.0.0 drops a connection when a response's length prefix is split
// across TCP chunks; patches/apache-ignite-client+1.0.0.patch (applied on install) fixes
// its reader. This only checks that the installed (or bundled) client has the fix.
import ClientSocket from 'apache-ignite-client/lib/internal/ClientSocket';

/** Throws when the apache-ignite-client in use lacks ML-RUN's whole-response framing patch. */
export function checkIgniteResponseFraming(): void {
  if (typeof ClientSocket.prototype._takeWholeResponses === 'function') return;
  throw new Error(
    'apache-ignite-client is not patched (patches/apache-ignite-client+1.0.0.patch): it would ' +
      'drop connections under load. Run `npx patch-package` in the workspace (npm ci runs it ' +
      'as postinstall), then rebuild.',
  );
}
