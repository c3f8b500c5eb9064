/** A date picker's day (local midnight) as YYYY-MM-DD, to compare with the hall's dates. */
export const pickerDate = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
