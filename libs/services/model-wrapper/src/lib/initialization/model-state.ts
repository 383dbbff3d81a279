/** A replica's lifecycle (docs/architecture.md §4). */
export enum ModelState {
  Starting = 'STARTING',
  Ready = 'READY',
  InitFailed = 'INIT_FAILED',
  Stopping = 'STOPPING',
}

export type InitFailure = { code: string; message: string };
