import { startExperimentStack } from './experiments/stack';

async function main() {
  const stack = await startExperimentStack({
    wrappers: 1,
    l1Ttl: '250ms',
    tokenTtl: '2s',
    model: 'tools/bench/models/exp-sleep-python',
    workers: 1,
    clients: 2,
    authMode: 'off',
  });
  try {
    for (const url of [stack.predictUrl, `${stack.wrapperUrls[0]}/v1/predict`]) {
      const r = await fetch(url, {
        method: 'POST',
        body: '{"serviceMs":0}',
        headers: { 'content-type': 'text/plain' },
      });
      console.log(url, r.status, [...r.headers.entries()], await r.text());
    }
    for (const t of stack.scrapeTargets) {
      const text = await (await fetch(`${t.url}/metrics`, { headers: t.headers })).text();
      console.log(
        t.name,
        t.url,
        text
          .split('\n')
          .filter((l) => /^mlrun_(router|predictions|auth)/.test(l))
          .join('\n'),
      );
    }
  } finally {
    await stack.stop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
