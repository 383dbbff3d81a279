export { until, untilValue } from './until';
