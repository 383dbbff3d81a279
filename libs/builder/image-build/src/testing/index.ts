export { EXAMPLES, exampleZip, renameEntry, type ZipFiles } from './test-bundles';
export { FakeCommandRunner } from './fake-command-runner';
export {
  FakeEngineError,
  FakeImagePublisher,
  type FakeImagePublisherOptions,
} from './fake-image-publisher';
