/** Where the CallbackSender is injected (null: no MLRUN_CALLBACK_SECRET, no callbacks). */
export const CALLBACK_SENDER = Symbol('CALLBACK_SENDER');
