// A replica's lifecycle: the registry contract's, since deployers read it from /readyz.
export { WrapperState as ModelState } from '@ml-run/registry-contract';

export type InitFailure = { code: string; message: string };
