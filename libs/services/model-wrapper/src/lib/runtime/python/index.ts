export { PythonRuntime, type PythonRuntimeOptions } from './python-runtime';
