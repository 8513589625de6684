// Category labels are shared with the exports.
export { CATEGORY_LABEL } from '@parley/contracts';
