/**
 * `npm test` runs the reliability tests in a short form; `npm run test:soak` sets SOAK=1 and the same
 * tests run long (durations and sizes below), so both forms prove the same properties.
 */
export const SOAK = process.env.SOAK === '1';
export const scaled = <T>(short: T, soak: T): T => (SOAK ? soak : short);
