export { UploadPanel } from './upload-panel';
