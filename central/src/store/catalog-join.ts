/**
 * A lateral join to the newest catalog row (`catalog.matter` or `catalog.department`) that names the id
 * in `idColumn` for the hall of case row `c`: the hall's own row, else the row for every hall. A deleted
 * row has no data, so only rows with a name count. `fields` select from the row `r`; `alias` names the join.
 */
export const catalogJoin = (
  kind: 'catalog.matter' | 'catalog.department',
  idColumn: string,
  fields: string,
  alias: string,
) =>
  `LEFT JOIN LATERAL (
    SELECT ${fields} FROM ref_rows r
     WHERE r.kind = '${kind}' AND r.id = ${idColumn} AND r.hall_key IN (c.hall_id::text, '*')
       AND r.data ? 'nameZh'
     ORDER BY r.version DESC LIMIT 1) ${alias} ON true`;
