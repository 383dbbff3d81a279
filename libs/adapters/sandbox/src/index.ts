export { SANDBOX_MODES } from './lib/sandbox.types';
export type {
  Bind,
  IsolationLevel,
  LimitReport,
  SandboxLimits,
  SandboxMode,
  SandboxReport,
  SpawnSpec,
} from './lib/sandbox.types';
export { SandboxError, SandboxErrorCode } from './lib/sandbox.errors';
export {
  detectCapabilities,
  SANDBOX_USER,
  type MachineCapabilities,
} from './lib/machine-capabilities';
export {
  Sandbox,
  SandboxGroup,
  spawnUnsandboxed,
  unsandboxedLauncher,
  type GroupOptions,
  type ModelProcessLauncher,
  type SpawnModelProcess,
} from './lib/sandbox';
export { sandboxConfigShape } from './lib/sandbox.config';
export { hostSandbox, type HostSandbox } from './lib/host-sandbox';
