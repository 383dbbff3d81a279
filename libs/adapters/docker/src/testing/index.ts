export { pushedIrisImage } from './iris-image';
