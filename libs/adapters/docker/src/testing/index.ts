export { pushedIrisImage, pushedModelImage } from './iris-image';
