import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { descendantsOf, isRunning } from '@ml-run/process-testing';

import { peersInstallState } from './install-state';
import { exampleAnswers } from './peer-launch';
import { IRIS_EXAMPLE_DIR, peersVenv } from './peer-paths';
import { PEER_PROTOCOLS } from './peer-protocol';
import { startPeer } from './start-peer';
import { PEER_NAMES, type RunningPeer } from './types';

// Runs only where tools/bench/peers/install.sh has installed the peers; elsewhere the
// describe says it is skipped and why (in its name and on stderr), never a silent pass.
const state = peersInstallState();
const describeWhenInstalled = state.installed ? describe : describe.skip;
if (!state.installed) process.stderr.write(`peers.spec: SKIPPED, ${state.reason}\n`);

const INPUTS = [
  '{"features":[5.1,3.5,1.4,0.2]}',
  '{"features":[5.9,3.0,4.2,1.5]}',
  '{"features":[6.7,3.0,5.2,2.3]}',
];

async function ask(peer: RunningPeer, input: string): Promise<string> {
  const protocol = PEER_PROTOCOLS[peer.name];
  const response = await fetch(peer.url, {
    method: 'POST',
    headers: { 'content-type': protocol.contentType },
    body: protocol.body(input),
  });
  const answer = await response.text();
  expect({ status: response.status, answer }).toEqual({ status: 200, answer: expect.any(String) });
  return protocol.prediction(answer);
}

describeWhenInstalled(
  `each peer serves the iris example${state.installed ? '' : ` (SKIPPED: ${state.reason})`}`,
  () => {
    const expected = state.installed ? exampleAnswers(peersVenv(), INPUTS) : [];

    it('the three inputs give three different classes, so a mix-up would show', () => {
      expect(new Set(expected.map((answer) => JSON.parse(answer).class)).size).toBe(3);
    });

    describe.each(PEER_NAMES)('%s', (name) => {
      let peer: RunningPeer;
      beforeAll(async () => {
        peer = await startPeer(name, { workers: 2 });
      }, 240_000);
      afterAll(async () => {
        await peer?.stop();
      }, 30_000);

      it("answers each input with the example's own output", async () => {
        for (const [i, input] of INPUTS.entries()) {
          expect(await ask(peer, input)).toBe(expected[i]);
        }
      });

      it('lists the server and at least its two workers among its processes', () => {
        expect(peer.pids().length).toBeGreaterThanOrEqual(3);
        expect(peer.pids().every(isRunning)).toBe(true);
      });

      it('stop ends every process it listed', async () => {
        const pids = peer.pids();
        await peer.stop();
        expect(pids.filter(isRunning)).toEqual([]);
      }, 30_000);
    });

    describe('a peer whose answer differs from the example', () => {
      let copy: string;
      beforeAll(() => {
        // The example with its class names in another order: same code, other answers.
        copy = mkdtempSync(path.join(tmpdir(), 'iris-renamed-'));
        cpSync(IRIS_EXAMPLE_DIR, copy, { recursive: true });
        const file = path.join(copy, 'coefficients/model.json');
        const model = JSON.parse(readFileSync(file, 'utf8'));
        model.classes.reverse();
        writeFileSync(file, JSON.stringify(model));
        process.env['MLRUN_IRIS_EXAMPLE_DIR'] = copy;
      });
      afterAll(() => {
        delete process.env['MLRUN_IRIS_EXAMPLE_DIR'];
        rmSync(copy, { recursive: true, force: true });
      });

      it('is refused by startPeer, and stopped', async () => {
        await expect(startPeer('bentoml', { workers: 2 })).rejects.toThrow(
          /answered a prediction other than the example's/,
        );
        const left = descendantsOf(process.pid).filter((p) => p.command.includes('bentoml_iris'));
        expect(left.filter((p) => isRunning(p.pid))).toEqual([]);
      }, 240_000);
    });
  },
);
