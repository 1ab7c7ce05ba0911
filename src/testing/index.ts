export { gradcheck, type GradcheckOptions, type GradcheckResult } from './gradcheck.js';
