export { pythonRuntime, type PythonRuntimeOptions } from './python-runtime';
