export { renderSvg } from './lib/render-svg';
