/** A fee in fen (分) as yuan with two decimals; 0 means free of charge. */
export const yuan = (fen: number): string => (fen / 100).toFixed(2);
