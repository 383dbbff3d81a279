export { CommonErrorCode, commonErrorCodeFor } from './lib/common-error-code';
