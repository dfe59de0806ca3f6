/** The one SOQL shape the sandbox answers: reads by id (`SELECT f, … FROM Type WHERE Id IN ('…')` or `Id = '…'`). */
export interface IdQuery {
  readonly fields: string[];
  readonly type: string;
  readonly ids: string[];
}

const ID_QUERY =
  /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)\s+WHERE\s+Id\s*(?:IN\s*\(\s*((?:'[^']*'\s*,\s*)*'[^']*')\s*\)|=\s*('[^']*'))\s*$/i;

export const SUPPORTED_QUERY_MESSAGE =
  "The sandbox answers only SELECT <fields> FROM <Type> WHERE Id IN ('<id>', …) or WHERE Id = '<id>'";

export function parseIdQuery(soql: string): IdQuery | undefined {
  const match = ID_QUERY.exec(soql);
  if (!match) return undefined;
  const [, fieldList = '', type = '', inList, single] = match;
  const fields = fieldList.split(',').map((field) => field.trim());
  if (fields.some((field) => !/^\w+$/.test(field))) return undefined;
  const ids = [...(inList ?? single ?? '').matchAll(/'([^']*)'/g)].map((quoted) => quoted[1] ?? '');
  return { fields, type, ids };
}
