export { ApiError, errorFromResponse } from './api-error';
export { createConsoleApi, type ConsoleApi, type StreamEvent } from './console-api';
export { ApiProvider, useApi } from './api-context';
export { useLoad, type Load } from './use-load';
export { useAction, type ActionState } from './use-action';
