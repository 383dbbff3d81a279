import { placeholder } from '@ml-run/model-wrapper';
console.log(placeholder);
