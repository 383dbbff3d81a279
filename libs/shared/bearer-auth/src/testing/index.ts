export { FakeValidator } from './fake-validator';
