/** N clients predicting back to back until stopped; collects every status they saw. */
export function steadyLoad(call: () => Promise<{ status: number }>, clients = 4) {
  const statuses: number[] = [];
  let running = true;
  const loops = Array.from({ length: clients }, async () => {
    while (running) statuses.push((await call()).status);
  });
  return {
    statuses,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return statuses;
    },
  };
}
