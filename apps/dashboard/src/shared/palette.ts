// The position colours are part of the shared contract: the PDF and XLSX exports use the same ones.
export { POSITION_SWATCH, type Swatch } from '@parley/contracts';
